using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.TestSupport;

namespace Captioner.Core.Tests.Features;

/// <summary>
/// The CPU encoder at fp32 and at int8, loaded once for a test class, and real photos to compare them on:
/// the sample photos and 27 Flickr8k dev images (neither was used to calibrate).
/// </summary>
public sealed class EncoderPair : IDisposable
{
    private static readonly string[] Samples = ["astronaut.png", "camera.png", "chelsea.png", "coffee.png", "rocket.jpg"];

    public EncoderPair()
    {
        FloatEncoder = new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = false, Precision = "fp32" });
        Int8Encoder = new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = false, Precision = "int8" });
        var flickr = Path.Combine(RepositoryPaths.Flickr8k, "images");
        var photos = Samples.Select(s => Path.Combine(RepositoryPaths.SharedData, "samples", s))
            .Concat(File.ReadLines(Path.Combine(RepositoryPaths.Flickr8k, "split_dev.txt")).Take(27).Select(name => Path.Combine(flickr, name)))
            .ToArray();
        Count = photos.Length;
        Pixels = new float[Count * EncoderInput.FloatsPerImage];
        var preprocessor = new ImagePreprocessor();
        for (var i = 0; i < Count; i++)
        {
            preprocessor.DecodeInto(File.ReadAllBytes(photos[i]), Pixels.AsSpan(i * EncoderInput.FloatsPerImage, EncoderInput.FloatsPerImage));
        }
    }

    public FeatureExtractor FloatEncoder { get; }

    public FeatureExtractor Int8Encoder { get; }

    public float[] Pixels { get; }

    public int Count { get; }

    public void Dispose()
    {
        FloatEncoder.Dispose();
        Int8Encoder.Dispose();
    }
}
