using Captioner.Core.Features;
using Captioner.Core.Imaging;

namespace Captioner.Evaluation.Captioning;

/// <summary>
/// Pooled features (and, when asked, region maps) of image files exactly as a worker reads them from a <c>features</c>
/// message (<see cref="FeatureResult.AsQueued"/>), for fitting and measuring what is computed from served features.
/// </summary>
public sealed record ServedFeatures(float[] Pooled, float[]? Maps, int Count)
{
    /// <summary>Encodes <paramref name="paths"/> in order; a file that cannot be read or is rejected is an <see cref="InvalidDataException"/> naming it.</summary>
    public static ServedFeatures Extract(FeatureExtractor extractor, IReadOnlyList<string> paths, bool keepMaps, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var featurizer = new ImageFeaturizer(new ImagePreprocessor(), extractor);
        var pooled = new float[paths.Count * EncoderIdentity.FeatureSize];
        var maps = keepMaps ? new float[paths.Count * EncoderIdentity.MapSize] : null;
        var results = featurizer.Featurize(paths.Count, i => File.ReadAllBytes(paths[i]), done => progress?.Invoke(done, paths.Count));
        for (var i = 0; i < results.Length; i++)
        {
            var served = results[i].AsQueued();
            if (!served.Succeeded)
            {
                throw new InvalidDataException($"{paths[i]}: {served.Error}");
            }

            served.Features!.CopyTo(pooled, i * EncoderIdentity.FeatureSize);
            if (maps is not null)
            {
                served.Map!.CopyTo(maps, i * EncoderIdentity.MapSize);
            }
        }

        return new ServedFeatures(pooled, maps, paths.Count);
    }
}
