using Captioner.Core.Features;
using Captioner.Core.Imaging;
using SkiaSharp;

namespace Captioner.Core.Tests.Imaging;

public class AttentionPictureTests
{
    [Fact]
    public void Weights_that_leave_a_share_to_a_sentinel_draw_the_photos_share_as_a_bar_at_each_panels_foot()
    {
        using var withSentinel = Decode(AttentionPicture.Render(GreyPhoto(), ["a", "dog"], [Uniform(0.25f), Uniform(1f)]));
        using var soft = Decode(AttentionPicture.Render(GreyPhoto(), ["a", "dog"], [Uniform(1f), Uniform(1f)]));

        // Panel 1 (the first word) starts after the photo's panel; its foot is the bar's row.
        var (left, foot, width) = FirstWordPanelFoot(withSentinel);
        Assert.True(IsOrange(withSentinel.GetPixel(left + (width / 8), foot)), "the photo's quarter share is orange");
        Assert.True(IsGrey(withSentinel.GetPixel(left + (width * 3 / 4), foot)), "the sentinel's three quarters are grey");
        Assert.False(IsOrange(soft.GetPixel(left + (width / 8), foot)) && IsGrey(soft.GetPixel(left + (width * 3 / 4), foot)), "weights summing to one draw no bar");
    }

    private static (int Left, int Foot, int Width) FirstWordPanelFoot(SKBitmap picture)
    {
        // The layout of AttentionPicture: gap 6, panels 128 high (square for a square photo), title 30.
        const int gap = 6, panel = 128, title = 30;
        Assert.True(picture.Width >= gap + (3 * (panel + gap)));
        return (gap + panel + gap, title + panel - 2, panel);
    }

    private static float[] Uniform(float sum) => [.. Enumerable.Repeat(sum / EncoderIdentity.Regions, EncoderIdentity.Regions)];

    private static SKBitmap GreyPhoto()
    {
        var photo = new SKBitmap(64, 64);
        photo.Erase(new SKColor(90, 90, 90));
        return photo;
    }

    private static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png);

    private static bool IsOrange(SKColor c) => c.Red > 200 && c.Green is > 100 and < 180 && c.Blue < 60;

    private static bool IsGrey(SKColor c) => c.Red is > 150 and < 190 && c.Green is > 150 and < 190 && c.Blue is > 150 and < 190;
}
