namespace Captioner.Core.Features;

/// <summary>The arithmetic the encoder runs in.</summary>
public enum EncoderPrecision
{
    /// <summary>Int8 on the CPU, where it keeps quality (dev BLEU-4 within 0.001) at about three times the speed; fp32 on CUDA.</summary>
    Auto,

    /// <summary>The packaged float graph as it is.</summary>
    Fp32,

    /// <summary>Int8 weights and uint8 activations, built at load from the float graph and a calibration table (CPU only).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "int8 is the name of the precision, not a type used as a name.")]
    Int8,
}

/// <summary>Reads and writes <see cref="EncoderPrecision"/> as the words used in options and on the command line.</summary>
public static class EncoderPrecisions
{
    /// <summary>The accepted words, for messages.</summary>
    public const string Accepted = "auto, fp32 or int8";

    /// <summary>Parses <c>auto</c>, <c>fp32</c> or <c>int8</c> (any case); anything else is refused rather than guessed.</summary>
    public static EncoderPrecision Parse(string? value) => TryParse(value, out var precision)
        ? precision
        : throw new ArgumentException($"Unknown encoder precision '{value}': use {Accepted}.", nameof(value));

    public static bool TryParse(string? value, out EncoderPrecision precision)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "auto":
                precision = EncoderPrecision.Auto;
                return true;
            case "fp32":
                precision = EncoderPrecision.Fp32;
                return true;
            case "int8":
                precision = EncoderPrecision.Int8;
                return true;
            default:
                precision = EncoderPrecision.Fp32;
                return false;
        }
    }

    public static string ToWord(this EncoderPrecision precision) => precision switch
    {
        EncoderPrecision.Int8 => "int8",
        EncoderPrecision.Fp32 => "fp32",
        _ => "auto",
    };
}
