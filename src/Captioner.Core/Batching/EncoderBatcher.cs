using System.Buffers;
using Captioner.Core.Features;
using Captioner.Core.Imaging;

namespace Captioner.Core.Batching;

/// <summary>
/// The process-wide image encoder for concurrent invocations: each caller decodes its own image (in
/// parallel with the others and with the network), then the network runs on the pixels of every image
/// waiting, up to the batch size. A rejected image never reaches the batch. Pixel buffers are pooled rather
/// than allocated on the large-object heap each time.
/// </summary>
public sealed class EncoderBatcher : IAsyncDisposable
{
    private readonly ImagePreprocessor _preprocessor;
    private readonly FeatureExtractor _extractor;
    private readonly DynamicBatcher<float[], FeatureResult> _batcher;
    private float[] _batchPixels = [];

    public EncoderBatcher(ImagePreprocessor preprocessor, FeatureExtractor extractor, BatchSettings settings, TimeProvider? time = null)
    {
        _preprocessor = preprocessor;
        _extractor = extractor;
        Settings = settings;
        _batcher = new DynamicBatcher<float[], FeatureResult>("encoder", settings, (images, _) => Task.FromResult<IReadOnlyList<FeatureResult>>(Encode(images)), time: time);
    }

    /// <summary>The batch size and delay in use.</summary>
    public BatchSettings Settings { get; }

    /// <summary>The encoder's execution provider.</summary>
    public string ExecutionProvider => _extractor.ExecutionProvider;

    /// <summary>Validates, decodes and encodes one image; a bad image comes back rejected, with its reason.</summary>
    public async Task<FeatureResult> EncodeAsync(byte[] encoded, CancellationToken cancellationToken = default)
    {
        var pixels = ArrayPool<float>.Shared.Rent(EncoderInput.FloatsPerImage);
        try
        {
            return ImageFeaturizer.TryDecode(_preprocessor, encoded, pixels.AsSpan(0, EncoderInput.FloatsPerImage))
                ?? await _batcher.SubmitAsync(pixels, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The batch has copied the pixels by the time its result (or a cancellation before it ran) comes back,
            // except when the caller gave up while its batch was running: then the buffer is left to the collector.
            if (!cancellationToken.IsCancellationRequested)
            {
                ArrayPool<float>.Shared.Return(pixels);
            }
        }
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    // Batches run one at a time, so one growing buffer serves them all.
    private FeatureResult[] Encode(IReadOnlyList<float[]> images)
    {
        var needed = images.Count * EncoderInput.FloatsPerImage;
        if (_batchPixels.Length < needed)
        {
            _batchPixels = new float[needed];
        }

        for (var i = 0; i < images.Count; i++)
        {
            images[i].AsSpan(0, EncoderInput.FloatsPerImage).CopyTo(_batchPixels.AsSpan(i * EncoderInput.FloatsPerImage));
        }

        var (features, maps) = _extractor.Extract(_batchPixels, images.Count);
        var results = new FeatureResult[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            results[i] = FeatureResult.Success(
                features.AsSpan(i * EncoderIdentity.FeatureSize, EncoderIdentity.FeatureSize).ToArray(),
                maps.AsSpan(i * EncoderIdentity.MapSize, EncoderIdentity.MapSize).ToArray());
        }

        return results;
    }
}
