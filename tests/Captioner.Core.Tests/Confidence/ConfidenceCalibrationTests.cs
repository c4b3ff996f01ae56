using Captioner.Core.Confidence;
using Captioner.Core.Pipeline;
using Captioner.Evaluation.Confidence;

namespace Captioner.Core.Tests.Confidence;

public sealed class ConfidenceCalibrationTests
{
    [Fact]
    public void Logistic_regression_recovers_the_weights_that_generated_the_outcomes()
    {
        var random = new Random(3);
        var rows = new List<double[]>();
        var outcomes = new List<bool>();
        for (var i = 0; i < 4000; i++)
        {
            double a = (random.NextDouble() * 4) - 2, b = (random.NextDouble() * 4) - 2;
            rows.Add([a, b]);
            outcomes.Add(random.NextDouble() < LogisticRegression.Sigmoid((1.5 * a) - (0.5 * b) + 0.3));
        }

        var (weights, bias) = LogisticRegression.Fit(rows, outcomes, l2: 0.01);

        Assert.Equal(1.5, weights[0], 0.25);
        Assert.Equal(-0.5, weights[1], 0.2);
        Assert.Equal(0.3, bias, 0.2);
    }

    [Fact]
    public void A_calibration_turns_standardised_signals_into_a_probability()
    {
        var calibration = new ConfidenceCalibration
        {
            Signals = [CaptionSignals.MeanWordLogProbability, CaptionSignals.Consensus],
            Means = [-0.5, 0.3],
            Scales = [0.1, 0.2],
            Weights = [1.0, 2.0],
            Bias = -1,
            Definition = "test",
        };

        Assert.Equal(LogisticRegression.Sigmoid(-1), calibration.Probability([-0.5, 0.3]), 12);
        Assert.Equal(LogisticRegression.Sigmoid(-1 + 1 + 2), calibration.Probability([-0.4, 0.5]), 12);
    }

    [Fact]
    public void Rank_statistics_give_known_values()
    {
        Assert.Equal(1.0, RankStatistics.Spearman([1, 2, 3, 4], [10, 20, 35, 100]), 12);
        Assert.Equal(-1.0, RankStatistics.Spearman([1, 2, 3, 4], [4, 3, 2, 1]), 12);
        Assert.Equal(1.0, RankStatistics.Auroc([5, 6, 7], [1, 2]), 12);
        Assert.Equal(0.5, RankStatistics.Auroc([1, 1], [1, 1]), 12);
        Assert.Equal(0.0, RankStatistics.Auroc([1], [2]), 12);
        Assert.Equal(1.4, RankStatistics.Percentile([1, 2, 3, 4, 5], 10), 12);
    }

    [Fact]
    public void An_unsure_caption_is_held_back_only_when_the_setting_asks_and_keeps_its_best_guess()
    {
        var result = new CaptionResult { Image = "a.jpg", Container = "images", Status = CaptionResult.Succeeded, Caption = "a dog runs", ModelVersion = "m1" };
        var unfamiliar = new CaptionAssessment(0.4, Unfamiliar: true, Confidence: 0.6, Consensus: 0.1);

        var kept = CaptionAssessments.Apply(result, unfamiliar, new PipelineOptions());
        var held = CaptionAssessments.Apply(result, unfamiliar, new PipelineOptions { HoldBackUnsure = true });

        Assert.Equal(("a dog runs", true, "unfamiliar photo", (bool?)null), (kept.Caption, kept.Unsure!.Value, kept.UnsureBecause, kept.HeldBack));
        Assert.Equal(((string?)null, "a dog runs", true), (held.Caption, held.BestGuess, held.HeldBack!.Value));
    }

    [Fact]
    public void A_sure_caption_is_kept_and_a_model_without_scores_says_so()
    {
        var result = new CaptionResult { Image = "a.jpg", Container = "images", Status = CaptionResult.Succeeded, Caption = "a dog runs", ModelVersion = "m1" };
        var options = new PipelineOptions { HoldBackUnsure = true, UnsureBelow = 0.3 };

        var sure = CaptionAssessments.Apply(result, new CaptionAssessment(0.8, false, 0.31, 1.0), options);
        var lowConfidence = CaptionAssessments.Apply(result, new CaptionAssessment(0.8, false, 0.29, 1.0), options);
        var unscored = CaptionAssessments.Apply(result, null, options);

        Assert.Equal(("a dog runs", false, 0.31), (sure.Caption, sure.Unsure!.Value, sure.Confidence!.Value));
        Assert.Equal("low confidence", lowConfidence.UnsureBecause);
        Assert.Equal("a dog runs", unscored.Caption);
        Assert.Null(unscored.Confidence);
        Assert.Contains("no familiarity or confidence", unscored.ConfidenceUnavailable, StringComparison.Ordinal);
    }
}
