using Captioner.Core;
using Captioner.Core.Imaging;

namespace Captioner.Core.Features;

/// <summary>
/// One image's features (the 512 pooled values and the [49 x 512] region map, from one encoder pass), or
/// why it was rejected.
/// </summary>
public sealed record FeatureResult(float[]? Features, float[]? Map, FailureReason? Reason, string? Error)
{
    /// <summary>True when <see cref="Features"/> and <see cref="Map"/> are set.</summary>
    public bool Succeeded => Features is not null;

    public static FeatureResult Success(float[] features, float[] map) => new(features, map, null, null);

    public static FeatureResult Rejected(FailureReason reason, string error) => new(null, null, reason, error);

    /// <summary>The input a decoder reads: the region map for attention decoders, else the pooled features.</summary>
    public float[] InputFor(bool usesMap) => (usesMap ? Map : Features) ?? throw new InvalidOperationException("The image was rejected: " + Error);
}
