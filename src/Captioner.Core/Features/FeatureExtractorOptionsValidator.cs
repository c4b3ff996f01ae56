using Microsoft.Extensions.Options;

namespace Captioner.Core.Features;

/// <summary>Checks the encoder's settings when the host starts.</summary>
public sealed class FeatureExtractorOptionsValidator : IValidateOptions<FeatureExtractorOptions>
{
    public ValidateOptionsResult Validate(string? name, FeatureExtractorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!EncoderPrecisions.TryParse(options.Precision, out _))
        {
            failures.Add($"Captioner:Encoder:Precision must be {EncoderPrecisions.Accepted} (got '{options.Precision}').");
        }

        if (options.IntraOpThreads < 0)
        {
            failures.Add($"Captioner:Encoder:IntraOpThreads must be 0 (ONNX Runtime decides) or positive (got {options.IntraOpThreads}).");
        }

        if (options.EncoderDirectory is { Length: > 0 } directory && !Directory.Exists(directory))
        {
            failures.Add($"Captioner:Encoder:EncoderDirectory '{directory}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
