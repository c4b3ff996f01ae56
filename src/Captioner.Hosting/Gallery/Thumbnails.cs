using Captioner.Core.Imaging;
using SkiaSharp;

namespace Captioner.Hosting.Gallery;

/// <summary>Small JPEG copies of images for the gallery; null for content that is not an image the pipeline would accept.</summary>
public static class Thumbnails
{
    public static byte[]? Create(byte[] image, int side, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        using var data = SKData.CreateCopy(image);
        using var codec = SKCodec.Create(data);

        // The header's size is checked before decoding, as the pipeline does: no decompression bombs.
        if (codec is null || (long)codec.Info.Width * codec.Info.Height > limits.MaxPixels)
        {
            return null;
        }

        using var bitmap = SKBitmap.Decode(codec);
        if (bitmap is null)
        {
            return null;
        }

        var scale = Math.Min(1.0, (double)side / Math.Max(bitmap.Width, bitmap.Height));
        var info = new SKImageInfo(Math.Max(1, (int)(bitmap.Width * scale)), Math.Max(1, (int)(bitmap.Height * scale)));
        using var resized = bitmap.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var encoded = (resized ?? bitmap).Encode(SKEncodedImageFormat.Jpeg, 80);
        return encoded.ToArray();
    }
}
