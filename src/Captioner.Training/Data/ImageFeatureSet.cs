using Captioner.Core.Features;

namespace Captioner.Training.Data;

/// <summary>Encoder outputs of a list of images: pooled features [N x 512] and region maps [N x 49 x 512], from one pass.</summary>
public sealed record ImageFeatureSet(float[] Pooled, float[] Maps)
{
    public int Count => Pooled.Length / EncoderIdentity.FeatureSize;

    /// <summary>What a decoder reads: the maps for attention decoders, else the pooled features.</summary>
    public float[] InputFor(bool usesMap) => usesMap ? Maps : Pooled;

    /// <summary>Collects the features of successfully encoded images, in order.</summary>
    public static ImageFeatureSet From(IReadOnlyList<FeatureResult> results)
    {
        var pooled = new float[results.Count * EncoderIdentity.FeatureSize];
        var maps = new float[results.Count * EncoderIdentity.MapSize];
        for (var i = 0; i < results.Count; i++)
        {
            results[i].Features!.CopyTo(pooled, i * EncoderIdentity.FeatureSize);
            results[i].Map!.CopyTo(maps, i * EncoderIdentity.MapSize);
        }

        return new ImageFeatureSet(pooled, maps);
    }

    /// <summary>The sets one after the other.</summary>
    public static ImageFeatureSet Concat(IReadOnlyList<ImageFeatureSet> parts) =>
        new([.. parts.SelectMany(p => p.Pooled)], [.. parts.SelectMany(p => p.Maps)]);
}
