using System.Globalization;
using Captioner.Core.Models;

namespace Captioner.Core.Training;

// Training settings check themselves.
public sealed partial class TrainingOptions
{
    /// <summary>Most CPU threads a job may ask Torch for.</summary>
    public const int MaxThreads = 256;

    /// <summary>
    /// The first problem with these settings, or null when training can start with them: the one check, made before any
    /// work by every way to start training (the CLI's local and <c>--remote</c> runs, <c>POST /api/training</c> on both
    /// hosts, the durable job). A range for every option, so a request can neither ask for a model no machine holds nor
    /// for a run that cannot learn. It names options as the JSON of <c>options</c> does; the CLI prints its flags instead.
    /// </summary>
    public string? Validate()
    {
        return !DecoderKinds.All.Contains(Decoder) ? $"'decoder' must be one of {string.Join(", ", DecoderKinds.All)} (got '{PrintableText.Of(Decoder, 40)}')."
            : Whole("attentionSize", AttentionSize, 1, 4096)
            ?? Whole("embeddingSize", EmbeddingSize, 1, 4096)
            ?? Whole("hiddenSize", HiddenSize, 1, 4096)
            ?? Fraction("dropout", Dropout)
            ?? Fraction("featureDropout", FeatureDropout)
            ?? Fraction("labelSmoothing", LabelSmoothing)
            ?? Whole("minWordCount", MinWordCount, 1, 1000)
            ?? Whole("newWordMinCount", NewWordMinCount, 1, 1000)
            ?? (double.IsFinite(PullToBase) && PullToBase is >= 0 and <= 100 ? null : $"'pullToBase' must be 0 to 100 (got {Number(PullToBase)}).")
            ?? Whole("maxWords", MaxWords, 1, 100)
            ?? Rate("learningRate", LearningRate)
            ?? (LearningRateDecay is > 0 and <= 1 ? null : $"'learningRateDecay' must be in (0, 1] (got {Number(LearningRateDecay)}).")
            ?? Whole("decayFromEpoch", DecayFromEpoch, 1, 1000)
            ?? Whole("batchSize", BatchSize, 1, 4096)
            ?? Whole("maxEpochs", MaxEpochs, 1, 1000)
            ?? Whole("patience", Patience, 1, 1000)
            ?? (SelectBy is SelectByLoss or SelectByCider ? null : $"'selectBy' must be '{SelectByLoss}' or '{SelectByCider}' (got '{PrintableText.Of(SelectBy, 40)}').")
            ?? Whole("selfCriticalEpochs", SelfCriticalEpochs, 0, 1000)
            ?? Rate("selfCriticalLearningRate", SelfCriticalLearningRate)
            ?? (SelfCriticalBaseline is SelfCriticalBaselines.Greedy or SelfCriticalBaselines.Samples ? null
                : $"'selfCriticalBaseline' must be '{SelfCriticalBaselines.Greedy}' or '{SelfCriticalBaselines.Samples}' (got '{PrintableText.Of(SelfCriticalBaseline, 40)}').")
            ?? Whole("selfCriticalSamples", SelfCriticalSamples, 2, 32)
            ?? Whole("selfCriticalMaxWords", SelfCriticalMaxWords, 1, 100)
            ?? Whole("selfCriticalImagesPerBatch", SelfCriticalImagesPerBatch, 1, 1024)
            ?? (double.IsFinite(GradientClip) && GradientClip > 0 && GradientClip <= 1e6 ? null : $"'gradientClip' must be in (0, 1000000] (got {Number(GradientClip)}).")
            ?? Whole("threads", Threads, 0, MaxThreads);
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
