using Captioner.Core.Imaging;

namespace Captioner.Core.Features;

/// <summary>One image's features, or why it was rejected.</summary>
public sealed record FeatureResult(float[]? Features, ImageRejectionReason? Reason, string? Error)
{
    /// <summary>True when <see cref="Features"/> is set.</summary>
    public bool Succeeded => Features is not null;

    public static FeatureResult Success(float[] features) => new(features, null, null);

    public static FeatureResult Rejected(ImageRejectionReason reason, string error) => new(null, reason, error);
}
