using Captioner.Core.Confidence;
using Captioner.Core.Decoding;
using Captioner.Evaluation.Data;

namespace Captioner.Evaluation.Confidence;

/// <summary>
/// How well a model's confidence and familiarity work on a split: the Spearman correlation of confidence (and, for
/// comparison, of the log-probability per word) with per-image CIDEr-D, the mean per-image CIDEr-D of the most
/// confident 50% and 80% (the whole split's mean is its CIDEr-D), and, against a folder of unfamiliar photos, the
/// familiarity's AUROC (split above folder), the log-probability per word's, and the share of each flagged unfamiliar.
/// </summary>
public sealed record ConfidenceReport
{
    public double? ConfidenceSpearman { get; init; }

    public double LogProbabilitySpearman { get; init; }

    public double? Top50Cider { get; init; }

    public double? Top80Cider { get; init; }

    public double SplitUnfamiliarShare { get; init; }

    public double? UnsureShare { get; init; }

    public int? OtherImages { get; init; }

    public double? FamiliarityAuroc { get; init; }

    public double? LogProbabilityAuroc { get; init; }

    public double? OtherUnfamiliarShare { get; init; }

    public double? OtherUnsureShare { get; init; }

    /// <summary>Measures the split's captions (with their assessments, in the order of <paramref name="images"/>) and, when given, another folder's.</summary>
    public static ConfidenceReport Measure(
        IReadOnlyList<(DecodedCaption Caption, CaptionAssessment Assessment)> split, IReadOnlyList<CaptionedImage> images,
        IReadOnlyList<(DecodedCaption Caption, CaptionAssessment Assessment)>? other, double unsureBelow)
    {
        ArgumentNullException.ThrowIfNull(split);
        var cider = ConfidenceFitter.PerImageCider([.. split.Select(s => s.Caption.Caption)], images);
        var logProbability = split.Select(s => CaptionSignals.MeanLogProbability(s.Caption)).ToList();
        var calibrated = split.All(s => s.Assessment.Confidence is not null);
        var report = new ConfidenceReport
        {
            LogProbabilitySpearman = Math.Round(RankStatistics.Spearman(logProbability, cider), 4),
            SplitUnfamiliarShare = Math.Round(split.Count(s => s.Assessment.Unfamiliar) / (double)split.Count, 4),
        };
        if (calibrated)
        {
            var confidence = split.Select(s => s.Assessment.Confidence!.Value).ToList();
            var order = Enumerable.Range(0, split.Count).OrderByDescending(i => confidence[i]).ToList();
            double TopMean(double share) => order.Take(Math.Max(1, (int)Math.Round(share * split.Count))).Average(i => cider[i]);
            report = report with
            {
                ConfidenceSpearman = Math.Round(RankStatistics.Spearman(confidence, cider), 4),
                Top50Cider = Math.Round(TopMean(0.5), 4),
                Top80Cider = Math.Round(TopMean(0.8), 4),
                UnsureShare = Math.Round(split.Count(s => s.Assessment.IsUnsure(unsureBelow)) / (double)split.Count, 4),
            };
        }

        if (other is not { Count: > 0 })
        {
            return report;
        }

        return report with
        {
            OtherImages = other.Count,
            FamiliarityAuroc = Math.Round(RankStatistics.Auroc([.. split.Select(s => s.Assessment.Familiarity)], [.. other.Select(s => s.Assessment.Familiarity)]), 4),
            LogProbabilityAuroc = Math.Round(RankStatistics.Auroc(logProbability, [.. other.Select(s => CaptionSignals.MeanLogProbability(s.Caption))]), 4),
            OtherUnfamiliarShare = Math.Round(other.Count(s => s.Assessment.Unfamiliar) / (double)other.Count, 4),
            OtherUnsureShare = calibrated ? Math.Round(other.Count(s => s.Assessment.IsUnsure(unsureBelow)) / (double)other.Count, 4) : null,
        };
    }
}
