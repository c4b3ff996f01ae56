using Microsoft.Extensions.Options;

namespace Captioner.Core.Pipeline;

/// <summary>
/// Checks the pipeline's settings when the host starts, so a wrong value stops it at once with the setting's name
/// instead of failing every image later.
/// </summary>
public sealed class PipelineOptionsValidator(Storage.StorageNames names) : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Check(bool valid, string failure)
        {
            if (!valid)
            {
                failures.Add(failure);
            }
        }

        Check(options.Limits.MaxBytes > 0, $"Captioner:Limits:MaxBytes must be positive (got {options.Limits.MaxBytes}).");
        Check(options.Limits.MaxPixels > 0, $"Captioner:Limits:MaxPixels must be positive (got {options.Limits.MaxPixels}).");
        Check(options.Limits.MinSide >= 1, $"Captioner:Limits:MinSide must be at least 1 (got {options.Limits.MinSide}).");
        Check(options.ModelPollInterval > TimeSpan.Zero, $"Captioner:ModelPollInterval must be positive (got {options.ModelPollInterval}).");
        Check(options.ReconcileInterval > TimeSpan.Zero, $"Captioner:ReconcileInterval must be positive (got {options.ReconcileInterval}).");
        Check(
            options.TrainingApiUrl.Length == 0 || (Uri.TryCreate(options.TrainingApiUrl, UriKind.Absolute, out var training) && training.Scheme is "https" or "http"),
            $"Captioner:TrainingApiUrl must be empty or an absolute http(s) address (got '{options.TrainingApiUrl}').");
        Check(options.TrainingRetentionDays >= 1, $"Captioner:TrainingRetentionDays must be at least 1 (got {options.TrainingRetentionDays}).");
        Check(options.BulkRetentionDays >= 1, $"Captioner:BulkRetentionDays must be at least 1 (got {options.BulkRetentionDays}).");
        if (new SourceContainers(options.SourceContainers ?? string.Empty, names).SettingProblem() is { } sources)
        {
            failures.Add(sources);
        }

        Check(options.UnsureBelow is >= 0 and <= 1, $"Captioner:UnsureBelow must be 0..1 (got {options.UnsureBelow}).");
        Check(options.BulkStallTimeout >= TimeSpan.FromSeconds(10), $"Captioner:BulkStallTimeout must be at least 10 seconds (got {options.BulkStallTimeout}).");
        Check(options.MaxRunningTrainingJobs is >= 1 and <= 100, $"Captioner:MaxRunningTrainingJobs must be 1..100 (got {options.MaxRunningTrainingJobs}).");
        Check(options.BulkPageSize is >= 1 and <= 5000, $"Captioner:BulkPageSize must be 1..5000 (got {options.BulkPageSize}).");
        foreach (var (stage, batching) in new[] { ("Encoder", options.Batching.Encoder), ("Decoder", options.Batching.Decoder) })
        {
            Check(batching.MaxBatch is null or >= 1, $"Captioner:Batching:{stage}:MaxBatch must be at least 1 (got {batching.MaxBatch}).");
            Check(batching.MaxDelay is null || batching.MaxDelay >= TimeSpan.Zero, $"Captioner:Batching:{stage}:MaxDelay must not be negative (got {batching.MaxDelay}).");
        }

        try
        {
            options.Decoding.ToOptions();
        }
        catch (ArgumentException ex)
        {
            failures.Add($"Captioner:Decoding: {FirstLine(ex.Message)}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
