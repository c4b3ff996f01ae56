using Captioner.Core.Confidence;

namespace Captioner.Core.Pipeline;

/// <summary>Puts a caption's assessment into its result: the scores, the unsure mark and, when the setting asks, holding it back.</summary>
public static class CaptionAssessments
{
    /// <summary>The result with <paramref name="assessment"/>'s fields (or a note that the model has none).</summary>
    public static CaptionResult Apply(CaptionResult result, CaptionAssessment? assessment, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        if (assessment is null)
        {
            return result with { ConfidenceUnavailable = $"model {result.ModelVersion} carries no {ConfidenceFile.FileName}: no familiarity or confidence" };
        }

        var because = assessment.UnsureBecause(options.UnsureBelow);
        var scored = result with
        {
            Confidence = assessment.Confidence is { } confidence ? Math.Round(confidence, 3) : null,
            Familiarity = Math.Round(assessment.Familiarity, 4),
            Unfamiliar = assessment.Unfamiliar,
            Unsure = because is not null,
            UnsureBecause = because,
            ConfidenceUnavailable = assessment.Confidence is null ? $"model {result.ModelVersion} is not calibrated: familiarity only" : null,
        };
        return because is not null && options.HoldBackUnsure
            ? scored with { HeldBack = true, BestGuess = scored.Caption, Caption = null }
            : scored;
    }
}
