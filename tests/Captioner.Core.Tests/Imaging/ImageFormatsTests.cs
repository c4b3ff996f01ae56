using System.Text;
using Captioner.Core.Imaging;

namespace Captioner.Core.Tests.Imaging;

public class ImageFormatsTests
{
    [Theory]
    [InlineData("rotated.jpg", "image/jpeg")]
    [InlineData("cmyk.jpg", "image/jpeg")]
    [InlineData("alpha.png", "image/png")]
    [InlineData("frames.gif", "image/gif")]
    [InlineData("halves.webp", "image/webp")]
    [InlineData("halves.bmp", "image/bmp")]
    public void A_raster_image_the_pipeline_decodes_is_recognised_by_its_bytes(string file, string contentType)
    {
        Assert.Equal(contentType, ImageFormats.ContentType(TestImages.Read(file)));
    }

    [Theory]
    [InlineData("icon.ico")]
    [InlineData("image.tiff")]
    [InlineData("notes.txt")]
    [InlineData("empty.jpg")]
    public void A_file_of_another_format_is_not_an_accepted_image_whatever_its_name(string file)
    {
        Assert.Null(ImageFormats.ContentType(TestImages.Read(file)));
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")]
    [InlineData("<?xml version=\"1.0\"?><svg/>")]
    [InlineData("<!DOCTYPE html><html><script>alert(1)</script></html>")]
    [InlineData("BM is how this text starts, but it is no bitmap")]
    [InlineData("RIFF....WAVEfmt ")]
    [InlineData("GIF8")]
    public void Markup_script_and_look_alike_text_are_not_images(string text)
    {
        Assert.Null(ImageFormats.ContentType(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void The_signature_length_is_enough_for_every_accepted_format()
    {
        foreach (var file in new[] { "rotated.jpg", "alpha.png", "frames.gif", "halves.webp", "halves.bmp" })
        {
            Assert.NotNull(ImageFormats.ContentType(TestImages.Read(file).AsSpan(0, ImageFormats.SignatureLength)));
        }
    }
}
