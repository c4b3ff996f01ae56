using Captioner.Core.Decoding;
using Captioner.Core.Vocabulary;

namespace Captioner.Core.Confidence;

/// <summary>
/// Scores captions of a model that carries <see cref="ConfidenceFile"/>: one pass over the training photos' features
/// finds the nearest (familiarity), their captions give the consensus, and the calibration the confidence. CPU only,
/// no storage request; thread-safe.
/// </summary>
public sealed class CaptionAssessor
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
            || calibration.Scales.Length != calibration.Weights.Length || calibration.Scales.Any(scale => !(scale > 0)) || calibration.Signals.Any(name => !CaptionSignals.Used.Contains(name))))
        {
            throw new Models.ModelLoadException($"{source}: {ConfidenceFile.FileName} has a calibration whose signals, means, scales and weights do not line up (signals known: {string.Join(", ", CaptionSignals.Used)}).");
        }

        return new CaptionAssessor(file, TrainingNeighbours.From(file, source));
    }

    /// <summary>Assesses <paramref name="caption"/> of a photo with <paramref name="pooled"/> features.</summary>
    public CaptionAssessment Assess(ReadOnlySpan<float> pooled, DecodedCaption caption)
    {
        ArgumentNullException.ThrowIfNull(caption);
        Span<int> nearest = stackalloc int[_neighbours.Neighbours];
        var familiarity = _neighbours.Nearest(pooled, nearest);
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

    /// <summary>The familiarity of a photo with <paramref name="pooled"/> features alone.</summary>
    public double Familiarity(ReadOnlySpan<float> pooled)
    {
        Span<int> nearest = stackalloc int[_neighbours.Neighbours];
        return _neighbours.Nearest(pooled, nearest);
    }
}
