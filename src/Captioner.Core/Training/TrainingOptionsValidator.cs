using System.Globalization;
using Captioner.Core.Models;

namespace Captioner.Core.Training;

/// <summary>
/// The one check of training settings, used before any work by every way to start training (the CLI's local and
/// <c>--remote</c> runs, <c>POST /api/training</c> on both hosts, the durable job): a range for every option, so a
/// request can neither ask for a model no machine holds nor for a run that cannot learn. The names are the JSON
/// names of <c>options</c>; the CLI prints the same reason.
/// </summary>
public static class TrainingOptionsValidator
{
    /// <summary>Most CPU threads a job may ask Torch for.</summary>
    public const int MaxThreads = 256;

    /// <summary>The first problem with <paramref name="options"/>, or null when training can start with them.</summary>
    public static string? Problem(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !DecoderKinds.All.Contains(options.Decoder) ? $"'decoder' must be one of {string.Join(", ", DecoderKinds.All)} (got '{PrintableText.Of(options.Decoder, 40)}')."
            : Whole("attentionSize", options.AttentionSize, 1, 4096)
            ?? Whole("embeddingSize", options.EmbeddingSize, 1, 4096)
            ?? Whole("hiddenSize", options.HiddenSize, 1, 4096)
            ?? Fraction("dropout", options.Dropout)
            ?? Fraction("featureDropout", options.FeatureDropout)
            ?? Fraction("labelSmoothing", options.LabelSmoothing)
            ?? Whole("minWordCount", options.MinWordCount, 1, 1000)
            ?? Whole("maxWords", options.MaxWords, 1, 100)
            ?? Rate("learningRate", options.LearningRate)
            ?? (options.LearningRateDecay is > 0 and <= 1 ? null : $"'learningRateDecay' must be in (0, 1] (got {Number(options.LearningRateDecay)}).")
            ?? Whole("decayFromEpoch", options.DecayFromEpoch, 1, 1000)
            ?? Whole("batchSize", options.BatchSize, 1, 4096)
            ?? Whole("maxEpochs", options.MaxEpochs, 1, 1000)
            ?? Whole("patience", options.Patience, 1, 1000)
            ?? (options.SelectBy is "loss" or "cider" ? null : $"'selectBy' must be 'loss' or 'cider' (got '{PrintableText.Of(options.SelectBy, 40)}').")
            ?? Whole("selfCriticalEpochs", options.SelfCriticalEpochs, 0, 1000)
            ?? Rate("selfCriticalLearningRate", options.SelfCriticalLearningRate)
            ?? (options.SelfCriticalBaseline is SelfCriticalBaselines.Greedy or SelfCriticalBaselines.Samples ? null
                : $"'selfCriticalBaseline' must be '{SelfCriticalBaselines.Greedy}' or '{SelfCriticalBaselines.Samples}' (got '{PrintableText.Of(options.SelfCriticalBaseline, 40)}').")
            ?? Whole("selfCriticalSamples", options.SelfCriticalSamples, 2, 32)
            ?? Whole("selfCriticalMaxWords", options.SelfCriticalMaxWords, 1, 100)
            ?? Whole("selfCriticalImagesPerBatch", options.SelfCriticalImagesPerBatch, 1, 1024)
            ?? (double.IsFinite(options.GradientClip) && options.GradientClip > 0 && options.GradientClip <= 1e6 ? null : $"'gradientClip' must be in (0, 1000000] (got {Number(options.GradientClip)}).")
            ?? Whole("threads", options.Threads, 0, MaxThreads);
    }

    private static string? Whole(string name, int value, int min, int max) =>
        value >= min && value <= max ? null : string.Create(CultureInfo.InvariantCulture, $"'{name}' must be {min} to {max} (got {value}).");

    // Dropout-like rates: 1 would drop everything (or, for label smoothing, learn nothing from the targets).
    private static string? Fraction(string name, double value) =>
        value is >= 0 and < 1 ? null : $"'{name}' must be in [0, 1) (got {Number(value)}).";

    private static string? Rate(string name, double value) =>
        value is > 0 and <= 1 ? null : $"'{name}' must be a number in (0, 1] (got {Number(value)}).";

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
