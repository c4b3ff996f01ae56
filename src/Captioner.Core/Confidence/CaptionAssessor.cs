using Captioner.Core.Decoding;
using Captioner.Core.Vocabulary;

namespace Captioner.Core.Confidence;

/// <summary>
/// Scores captions of a model that carries <see cref="ConfidenceFile"/>: one pass over the training photos' features
/// finds the nearest (familiarity), their captions give the consensus, and the calibration the confidence. CPU only,
/// no storage request; thread-safe.
/// </summary>
public sealed class CaptionAssessor : IDisposable
{
    private readonly TrainingNeighbours _neighbours;

    private CaptionAssessor(ConfidenceFile file, TrainingNeighbours neighbours)
    {
        File = file;
        _neighbours = neighbours;
    }

    /// <summary>The file this assessor was built from.</summary>
    public ConfidenceFile File { get; }

    /// <summary>The training photos it compares with.</summary>
    public TrainingNeighbours Neighbours => _neighbours;

    /// <summary>Builds the assessor of a parsed <see cref="ConfidenceFile"/>; an inconsistent file is a <see cref="Models.ModelLoadException"/>.</summary>
    public static CaptionAssessor From(ConfidenceFile file, string source)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Calibration is { } calibration && (calibration.Signals.Count != calibration.Weights.Length || calibration.Means.Length != calibration.Weights.Length
            || calibration.Scales.Length != calibration.Weights.Length || calibration.Scales.Any(scale => !(scale > 0) || !double.IsFinite(scale))
            || !calibration.Means.Concat(calibration.Weights).Append(calibration.Bias).All(double.IsFinite) || calibration.Signals.Any(name => !CaptionSignals.Used.Contains(name))))
        {
            throw new Models.ModelLoadException($"{source}: {ConfidenceFile.FileName} has a calibration whose signals, means, scales and weights do not line up or are not finite numbers (signals known: {string.Join(", ", CaptionSignals.Used)}).");
        }

        return new CaptionAssessor(file, TrainingNeighbours.From(file, source));
    }

    /// <summary>Assesses <paramref name="caption"/> of a photo with <paramref name="pooled"/> features.</summary>
    public CaptionAssessment Assess(ReadOnlySpan<float> pooled, DecodedCaption caption) => AssessAll(pooled, [caption])[0];

    /// <summary>Assesses the captions of photos whose pooled features lie back to back in <paramref name="pooled"/>, in one pass over the training photos.</summary>
    public CaptionAssessment[] AssessAll(ReadOnlySpan<float> pooled, IReadOnlyList<DecodedCaption> captions)
    {
        ArgumentNullException.ThrowIfNull(captions);
        var k = _neighbours.Neighbours;
        var nearest = new int[captions.Count * k];
        var familiarity = new double[captions.Count];
        if (captions.Count > 0)
        {
            _neighbours.NearestAll(pooled, captions.Count, nearest, familiarity);
        }

        var assessments = new CaptionAssessment[captions.Count];
        for (var i = 0; i < captions.Count; i++)
        {
            assessments[i] = Assess(captions[i], familiarity[i], nearest.AsSpan(i * k, k));
        }

        return assessments;
    }

    public void Dispose() => _neighbours.Dispose();

    private CaptionAssessment Assess(DecodedCaption caption, double familiarity, ReadOnlySpan<int> nearest)
    {
        ArgumentNullException.ThrowIfNull(caption);
        var consensus = _neighbours.Consensus(CaptionTokenizer.Tokenize(caption.Caption), nearest);
        double? confidence = null;
        if (File.Calibration is { } calibration)
        {
            var meanLogProbability = CaptionSignals.MeanLogProbability(caption);
            Span<double> signals = stackalloc double[calibration.Signals.Count];
            for (var i = 0; i < signals.Length; i++)
            {
                signals[i] = CaptionSignals.Value(calibration.Signals[i], meanLogProbability, consensus, familiarity);
            }

            confidence = calibration.Probability(signals);
        }

        return new CaptionAssessment(familiarity, familiarity < File.UnfamiliarBelow, confidence, consensus);
    }

}
