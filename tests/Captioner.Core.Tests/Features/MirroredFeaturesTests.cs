using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.TestSupport;
using SkiaSharp;

namespace Captioner.Core.Tests.Features;

/// <summary>Training's flipped examples: the featurizer's mirrored features are those of the photo flipped before it was saved.</summary>
public sealed class MirroredFeaturesTests
{
    [Fact]
    public void Mirroring_an_encoder_input_swaps_left_and_right_in_every_plane_and_twice_restores_it()
    {
        var pixels = new float[EncoderInput.FloatsPerImage];
        new ImagePreprocessor().DecodeInto(TestImages.Read("halves.bmp"), pixels);
        var original = pixels.ToArray();

        EncoderInput.MirrorHorizontally(pixels);

        const int Plane = EncoderInput.Side * EncoderInput.Side;
        Assert.Equal(255f, pixels[(112 * EncoderInput.Side) + 200], 1f); // red plane: red is now on the right
        Assert.Equal(255f, pixels[(2 * Plane) + (112 * EncoderInput.Side) + 20], 1f); // blue plane: blue on the left
        EncoderInput.MirrorHorizontally(pixels);
        Assert.Equal(original, pixels);
    }

    [Fact]
    public void Mirrored_features_of_a_photo_equal_the_features_of_the_flipped_photo()
    {
        var photo = File.ReadAllBytes(Path.Combine(RepositoryPaths.SharedData, "samples", "camera.png"));
        var flipped = FlippedPng(photo);
        using var extractor = new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = false, Precision = TrainingFeatures.Precision });
        var featurizer = new ImageFeaturizer(new ImagePreprocessor(), extractor);

        var mirrored = featurizer.Featurize(1, _ => photo, mirrored: true)[0];
        var ofFlippedFile = featurizer.Featurize(1, _ => flipped)[0];
        var plain = featurizer.Featurize(1, _ => photo)[0];

        Assert.True(MaxDifference(mirrored.Map!, ofFlippedFile.Map!) < 0.02 * MaxAbs(plain.Map!), $"mirrored vs flipped file: {MaxDifference(mirrored.Map!, ofFlippedFile.Map!)}");
        Assert.True(MaxDifference(mirrored.Map!, plain.Map!) > 0.2 * MaxAbs(plain.Map!), "the mirror's region map should differ from the photo's");
    }

    private static byte[] FlippedPng(byte[] encoded)
    {
        using var bitmap = SKBitmap.Decode(encoded);
        using var target = new SKBitmap(bitmap.Info.WithColorType(SKColorType.Rgba8888).WithAlphaType(SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Scale(-1, 1, bitmap.Width / 2f, 0);
            canvas.DrawBitmap(bitmap, 0, 0);
        }

        using var image = SKImage.FromBitmap(target);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    private static float MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    private static float MaxAbs(float[] a) => a.Max(Math.Abs);
}
