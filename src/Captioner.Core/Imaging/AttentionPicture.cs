using Captioner.Core.Features;
using SkiaSharp;

namespace Captioner.Core.Imaging;

/// <summary>
/// Draws where an attention decoder looked: the photo, then one small panel per generated word with
/// that step's attention over the 7x7 regions as a heat map (smoothly upsampled, normalised per word) over
/// the dimmed photo, the word beneath. An adaptive decoder's region weights sum to less than one (the rest
/// went to its sentinel, the language model's memory): then a bar along each panel's foot shows the photo's
/// share in orange and the sentinel's in grey. Returns a PNG.
/// </summary>
public static class AttentionPicture
{
    private const int PanelHeight = 128;
    private const int LabelHeight = 22;
    private const int Gap = 6;
    private const int Columns = 5;
    private const int TitleHeight = 30;
    private const int ShareBarHeight = 5;

    // Below this sum of region weights a step gave some of its attention to a sentinel.
    private const float WholeShare = 0.995f;

    /// <summary>The picture of <paramref name="words"/> (the caption's words) with one attention vector [49] per word.</summary>
    public static byte[] Render(SKBitmap photo, IReadOnlyList<string> words, IReadOnlyList<float[]> attention)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(attention);
        if (words.Count != attention.Count || attention.Any(a => a.Length != EncoderIdentity.Regions))
        {
            throw new ArgumentException($"One attention vector of {EncoderIdentity.Regions} weights per word is needed.", nameof(attention));
        }

        var panelWidth = Math.Max(PanelHeight / 2, (int)Math.Round(PanelHeight * (double)photo.Width / photo.Height));
        var panels = words.Count + 1;
        var columns = Math.Min(Columns, panels);
        var rows = (panels + columns - 1) / columns;
        var width = Gap + (columns * (panelWidth + Gap));
        var height = TitleHeight + (rows * (PanelHeight + LabelHeight + Gap)) + Gap;

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 15);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText(string.Join(' ', words), Gap, TitleHeight - 9, SKTextAlign.Left, font, text);

        using var image = SKImage.FromBitmap(photo);
        using var dim = new SKPaint { ColorFilter = SKColorFilter.CreateBlendMode(new SKColor(0, 0, 0, 140), SKBlendMode.SrcOver) };
        var sampling = new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
        var showShares = attention.Any(weights => weights.Sum() < WholeShare);
        using var photoShare = new SKPaint { Color = new SKColor(255, 140, 0) };
        using var sentinelShare = new SKPaint { Color = new SKColor(170, 170, 170) };
        for (var panel = 0; panel < panels; panel++)
        {
            var x = Gap + ((panel % columns) * (panelWidth + Gap));
            var y = TitleHeight + ((panel / columns) * (PanelHeight + LabelHeight + Gap));
            var rect = SKRect.Create(x, y, panelWidth, PanelHeight);
            if (panel == 0)
            {
                canvas.DrawImage(image, rect, sampling);
                canvas.DrawText("(photo)", x + (panelWidth / 2f), y + PanelHeight + 16, SKTextAlign.Center, font, text);
                continue;
            }

            canvas.DrawImage(image, rect, sampling, dim);
            using var heat = HeatMap(attention[panel - 1]);
            using var heatImage = SKImage.FromBitmap(heat);
            canvas.DrawImage(heatImage, rect, new SKSamplingOptions(SKFilterMode.Linear));
            canvas.DrawText(words[panel - 1], x + (panelWidth / 2f), y + PanelHeight + 16, SKTextAlign.Center, font, text);
            if (showShares)
            {
                var share = Math.Clamp(attention[panel - 1].Sum(), 0f, 1f);
                var foot = y + PanelHeight - ShareBarHeight;
                canvas.DrawRect(SKRect.Create(x, foot, panelWidth, ShareBarHeight), sentinelShare);
                canvas.DrawRect(SKRect.Create(x, foot, panelWidth * share, ShareBarHeight), photoShare);
            }
        }

        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>A 7x7 bitmap of the weights, normalised to the largest: transparent where nothing is attended, hot where most is.</summary>
    private static SKBitmap HeatMap(float[] weights)
    {
        var side = (int)Math.Sqrt(EncoderIdentity.Regions);
        var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var largest = Math.Max(weights.Max(), 1e-9f);
        for (var region = 0; region < weights.Length; region++)
        {
            var level = Math.Clamp(weights[region] / largest, 0f, 1f);
            bitmap.SetPixel(region % side, region / side, Heat(level));
        }

        return bitmap;
    }

    /// <summary>Black-body colours: dark red through orange to pale yellow, more opaque as the level rises.</summary>
    private static SKColor Heat(float level)
    {
        var red = (byte)(255 * Math.Min(1f, level * 2f));
        var green = (byte)(255 * Math.Clamp((level * 2f) - 0.6f, 0f, 1f));
        var blue = (byte)(255 * Math.Clamp((level * 3f) - 2.2f, 0f, 1f));
        return new SKColor(red, green, blue, (byte)(40 + (200 * level)));
    }
}
