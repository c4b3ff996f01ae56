using Captioner.Core;
using Captioner.Core.Imaging;
using SkiaSharp;

namespace Captioner.Core.Tests.Imaging;

public class ImagePreprocessorTests
{
    private const int Side = EncoderInput.Side;
    private const int Plane = Side * Side;
    private readonly ImagePreprocessor _preprocessor = new();

    [Theory]
    [InlineData("halves.bmp")]
    [InlineData("halves.webp")]
    [InlineData("frames.gif")]
    [InlineData("cmyk.jpg")]
    public void Decodes_every_accepted_format_to_red_left_and_blue_right(string file)
    {
        var pixels = Decode(TestImages.Read(file));

        AssertColour(pixels, x: 20, y: 112, red: 255, green: 0, blue: 0);
        AssertColour(pixels, x: 200, y: 112, red: 0, green: 0, blue: 255);
    }

    [Fact]
    public void Applies_exif_orientation_before_resizing()
    {
        // Stored red-left/blue-right, EXIF 6 = rotate 90 degrees clockwise: red ends on top.
        var pixels = Decode(TestImages.Read("rotated.jpg"));

        AssertColour(pixels, x: 112, y: 20, red: 255, green: 0, blue: 0);
        AssertColour(pixels, x: 112, y: 200, red: 0, green: 0, blue: 255);
    }

    [Fact]
    public void Composites_transparency_over_white()
    {
        var pixels = Decode(TestImages.Read("alpha.png"));

        AssertColour(pixels, x: 20, y: 112, red: 0, green: 0, blue: 255);
        AssertColour(pixels, x: 200, y: 112, red: 255, green: 255, blue: 255);
    }

    [Theory]
    [InlineData("gray.png")]
    [InlineData("deep16.png")]
    public void Decodes_sixteen_bit_and_grayscale_png(string file)
    {
        var pixels = Decode(TestImages.Read(file));

        Assert.Contains(pixels, value => value > 100);
        Assert.All(pixels, value => Assert.InRange(value, 0f, 255f));
    }

    [Fact]
    public void Grayscale_gives_equal_channels()
    {
        var pixels = Decode(TestImages.Read("gray.png"));

        for (var i = 0; i < Plane; i += 997)
        {
            Assert.Equal(pixels[i], pixels[Plane + i]);
            Assert.Equal(pixels[i], pixels[(2 * Plane) + i]);
        }
    }

    [Fact]
    public void A_224_pixel_image_passes_through_unchanged()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Side, Side, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)x, (byte)y, (byte)(x ^ y)));
            }
        }

        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var pixels = Decode(png.ToArray());

        AssertColour(pixels, x: 17, y: 200, red: 17, green: 200, blue: 17 ^ 200);
    }

    [Theory]
    [InlineData("empty.jpg", FailureReason.Empty)]
    [InlineData("notes.txt", FailureReason.NotAnImage)]
    [InlineData("truncated.jpg", FailureReason.Truncated)]
    [InlineData("image.tiff", FailureReason.NotAnImage)]
    [InlineData("icon.ico", FailureReason.UnsupportedFormat)]
    [InlineData("bomb.png", FailureReason.TooManyPixels)]
    [InlineData("tiny.png", FailureReason.TooSmall)]
    public void Rejects_bad_input_with_a_reason(string file, FailureReason reason)
    {
        var error = Assert.Throws<ImageRejectedException>(() => Decode(TestImages.Read(file)));

        Assert.Equal(reason, error.Reason);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Rejects_a_file_over_the_byte_limit_before_decoding()
    {
        var preprocessor = new ImagePreprocessor(new ImageLimits { MaxBytes = 100 });

        var error = Assert.Throws<ImageRejectedException>(() => preprocessor.DecodeInto(TestImages.Read("halves.bmp"), new float[EncoderInput.FloatsPerImage]));

        Assert.Equal(FailureReason.TooLarge, error.Reason);
    }

    private float[] Decode(byte[] data)
    {
        var pixels = new float[EncoderInput.FloatsPerImage];
        _preprocessor.DecodeInto(data, pixels);
        return pixels;
    }

    private static void AssertColour(float[] pixels, int x, int y, int red, int green, int blue)
    {
        var i = (y * Side) + x;
        Assert.InRange(pixels[i], red - 12, red + 12);
        Assert.InRange(pixels[Plane + i], green - 12, green + 12);
        Assert.InRange(pixels[(2 * Plane) + i], blue - 12, blue + 12);
    }
}
