using System.Globalization;

namespace Captioner.Training.Orchestration;

/// <summary>Whether a new model replaces the current one: only when its dev CIDEr-D is not worse, unless forced.</summary>
public static class PromotionDecision
{
    public static (bool Promote, string Reason) Decide(double candidateCider, string? currentVersion, double? currentCider, bool force)
    {
        var candidate = candidateCider.ToString("F4", CultureInfo.InvariantCulture);
        if (currentVersion is null)
        {
            return (true, $"no current model; dev CIDEr-D {candidate}");
        }

        if (currentCider is not { } current)
        {
            return (true, $"the current model {currentVersion} cannot be scored on these features; dev CIDEr-D {candidate}");
        }

        var comparison = FormattableString.Invariant($"dev CIDEr-D {candidate} vs {current:F4} of {currentVersion}");
        if (candidateCider >= current)
        {
            return (true, $"not worse: {comparison}");
        }

        return force ? (true, $"forced although worse: {comparison}") : (false, $"kept {currentVersion}, the new model is worse: {comparison}");
    }
}
