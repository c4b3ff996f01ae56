using System.Diagnostics;
using Captioner.Core.Imaging;
using SkiaSharp;

namespace Captioner.Benchmarks;

/// <summary>
/// Makes a 4000 x 3000 JPEG (a photo scaled up) and times turning it into the encoder's input: the
/// preprocessor's scaled JPEG decode against a full decode followed by a resize (the baseline).
/// </summary>
internal static class LargePhoto
{
    public static (double ScaledMs, double FullMs) Measure(string sourcePhoto, int repeats)
    {
        var large = Make(sourcePhoto, 4000, 3000);
        var preprocessor = new ImagePreprocessor();
        var pixels = new float[EncoderInput.FloatsPerImage];
        preprocessor.DecodeInto(large, pixels);
        FullDecodeThenResize(large);
        var scaled = Time(() => preprocessor.DecodeInto(large, pixels), repeats);
        var full = Time(() => FullDecodeThenResize(large), repeats);
        return (scaled, full);
    }

    private static byte[] Make(string sourcePhoto, int width, int height)
    {
        using var source = SKBitmap.Decode(sourcePhoto);
        using var large = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(large))
        using (var image = SKImage.FromBitmap(source))
        {
            canvas.DrawImage(image, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        }

        using var data = large.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static void FullDecodeThenResize(byte[] jpeg)
    {
        using var full = SKBitmap.Decode(jpeg);
        using var target = new SKBitmap(EncoderInput.Side, EncoderInput.Side);
        using var canvas = new SKCanvas(target);
        using var image = SKImage.FromBitmap(full);
        canvas.DrawImage(image, new SKRect(0, 0, EncoderInput.Side, EncoderInput.Side), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }

    private static double Time(Action action, int repeats)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
        {
            action();
        }

        return clock.Elapsed.TotalMilliseconds / repeats;
    }
}
