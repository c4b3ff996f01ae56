using Captioner.Core;
using Captioner.Core.Imaging;
using Captioner.Core.Messages;

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

    /// <summary>
    /// These features exactly as a worker reads them back from a <c>features</c> message (float16 features, the 8-bit
    /// region map). Every path to a decoder goes through this (the queue's packing, bulk images captioned where they are
    /// encoded, the command line), so an image gets one caption whichever path it takes.
    /// </summary>
    public FeatureResult AsQueued() => Succeeded ? this with { Features = MessageCodec.AsQueued(Features), Map = Map is null ? null : MessageCodec.MapAsQueued(Map) } : this;

    /// <summary>The input a decoder reads: the region map for attention decoders, else the pooled features.</summary>
    public float[] InputFor(bool usesMap) => (usesMap ? Map : Features) ?? throw new InvalidOperationException("The image was rejected: " + Error);
}
