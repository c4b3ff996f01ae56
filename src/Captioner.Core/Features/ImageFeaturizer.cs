using Captioner.Core;
using Captioner.Core.Imaging;

namespace Captioner.Core.Features;

/// <summary>
/// Decodes images in parallel and encodes them in batches. A rejected image yields its error and
/// does not hold up the others.
/// </summary>
public sealed class ImageFeaturizer
{
    private readonly ImagePreprocessor _preprocessor;
    private readonly FeatureExtractor _extractor;
    private readonly int _batchSize;

    public ImageFeaturizer(ImagePreprocessor preprocessor, FeatureExtractor extractor, int batchSize = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _preprocessor = preprocessor;
        _extractor = extractor;
        _batchSize = batchSize;
    }

    /// <summary>The encoder's execution provider.</summary>
    public string ExecutionProvider => _extractor.ExecutionProvider;

    /// <summary>Decodes one image into <paramref name="pixels"/>; returns its rejection, or null when it decoded.</summary>
    public static FeatureResult? TryDecode(ImagePreprocessor preprocessor, byte[] encoded, Span<float> pixels)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        try
        {
            preprocessor.DecodeInto(encoded, pixels);
            return null;
        }
        catch (ImageRejectedException rejected)
        {
            return FeatureResult.Rejected(rejected.Reason, rejected.Message);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OverflowException or IndexOutOfRangeException)
        {
            // A decoder fault on hostile input is that input's problem, not a reason to retry it.
            return FeatureResult.Rejected(FailureReason.Corrupt, "The image could not be decoded: " + ex.Message);
        }
    }

    /// <summary>
    /// Encodes <paramref name="count"/> images read by <paramref name="load"/>; <paramref name="onBatch"/> hears how many are done.
    /// With <paramref name="mirrored"/> each image is flipped left to right after decoding (training's extra examples).
    /// </summary>
    public FeatureResult[] Featurize(int count, Func<int, byte[]> load, Action<int>? onBatch = null, bool mirrored = false)
    {
        ArgumentNullException.ThrowIfNull(load);
        var results = new FeatureResult[count];
        var pixels = new float[_batchSize * EncoderInput.FloatsPerImage];
        var slots = new int[_batchSize];
        for (var start = 0; start < count; start += _batchSize)
        {
            var size = Math.Min(_batchSize, count - start);
            var errors = new string?[size];
            var reasons = new FailureReason?[size];
            Parallel.For(0, size, i =>
            {
                var image = pixels.AsSpan(i * EncoderInput.FloatsPerImage, EncoderInput.FloatsPerImage);
                if (TryDecode(_preprocessor, load(start + i), image) is { } rejected)
                {
                    errors[i] = rejected.Error;
                    reasons[i] = rejected.Reason;
                }
                else if (mirrored)
                {
                    EncoderInput.MirrorHorizontally(image);
                }
            });

            // Pack the good images to the front so one call encodes them all.
            var good = 0;
            for (var i = 0; i < size; i++)
            {
                if (errors[i] is not null)
                {
                    results[start + i] = FeatureResult.Rejected(reasons[i]!.Value, errors[i]!);
                    continue;
                }

                if (good != i)
                {
                    pixels.AsSpan(i * EncoderInput.FloatsPerImage, EncoderInput.FloatsPerImage).CopyTo(pixels.AsSpan(good * EncoderInput.FloatsPerImage));
                }

                slots[good++] = i;
            }

            var (features, maps) = _extractor.Extract(pixels, good);
            for (var g = 0; g < good; g++)
            {
                results[start + slots[g]] = FeatureResult.Success(
                    features.AsSpan(g * EncoderIdentity.FeatureSize, EncoderIdentity.FeatureSize).ToArray(),
                    maps.AsSpan(g * EncoderIdentity.MapSize, EncoderIdentity.MapSize).ToArray());
            }

            onBatch?.Invoke(start + size);
        }

        return results;
    }
}
