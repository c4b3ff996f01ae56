namespace Captioner.Core.Confidence;

/// <summary>
/// How far a caption can be trusted: the photo's <see cref="Familiarity"/> (mean cosine similarity of its pooled
/// features to its nearest training photos; higher is more familiar), <see cref="Unfamiliar"/> when that is below the
/// dev split's 5th percentile, and <see cref="Confidence"/>, the calibrated probability that the caption is acceptable
/// (null when the model carries no calibration).
/// </summary>
public sealed record CaptionAssessment(double Familiarity, bool Unfamiliar, double? Confidence, double Consensus)
{
    /// <summary>Below this confidence a caption is unsure unless a setting says otherwise.</summary>
    public const double DefaultUnsureBelow = 0.2;

    /// <summary>True when the photo is unfamiliar or the confidence is below <paramref name="unsureBelow"/>.</summary>
    public bool IsUnsure(double unsureBelow) => Unfamiliar || Confidence < unsureBelow;

    /// <summary>Why a caption is unsure, in words, or null when it is not.</summary>
    public string? UnsureBecause(double unsureBelow) => (Unfamiliar, Confidence < unsureBelow) switch
    {
        (true, true) => "unfamiliar photo and low confidence",
        (true, false) => "unfamiliar photo",
        (false, true) => "low confidence",
        _ => null,
    };
}
