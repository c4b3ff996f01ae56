using Captioner.Core.Imaging;
using SkiaSharp;

namespace Captioner.Hosting.Gallery;

/// <summary>
/// Small JPEG copies of images for the gallery, decoded as the pipeline decodes (its checks, a JPEG decoded straight
/// to a fraction of its size); null for content the pipeline would refuse or that is over the thumbnail pixel cap.
/// </summary>
public static class Thumbnails
{
    public const string ContentType = "image/jpeg";

    public static byte[]? Create(byte[] image, int side, ImagePreprocessor preprocessor)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        try
        {
            using var bitmap = preprocessor.DecodeUpright(image, side);
            using var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
            return encoded.ToArray();
        }
        catch (ImageRejectedException)
        {
            return null;
        }
    }
}
