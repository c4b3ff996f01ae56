using System.CommandLine;
using Captioner.Core.Features;

namespace Captioner.Cli.Commands;

/// <summary>The <c>--precision</c> option of the commands that encode images: the encoder's arithmetic.</summary>
internal static class PrecisionOption
{
    public static Option<string> Create() => new("--precision")
    {
        Description = $"Encoder precision: {EncoderPrecisions.Accepted} (int8: quantised at load, CPU only; CUDA stays fp32). Default auto: int8 on the CPU, fp32 on CUDA.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>Encoder options for the value given; an unknown precision is a usage error.</summary>
    public static FeatureExtractorOptions Read(ParseResult result, Option<string> option)
    {
        var value = result.GetValue(option);
        return EncoderPrecisions.TryParse(value, out var precision)
            ? new FeatureExtractorOptions { Precision = precision.ToWord() }
            : throw new UsageException($"Unknown --precision '{value}': use {EncoderPrecisions.Accepted}.");
    }
}
