using Captioner.Core;
using SkiaSharp;

namespace Captioner.Core.Imaging;

/// <summary>
/// Validates and decodes an encoded image into the encoder's input: the whole image, EXIF orientation
/// applied, transparency composited over white, stretched to 224 x 224, planar RGB in 0..255.
/// Training and inference both come through here, so the model always sees the same preprocessing.
/// </summary>
public sealed class ImagePreprocessor
{
    private static readonly HashSet<SKEncodedImageFormat> SupportedFormats =
    [
        SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png, SKEncodedImageFormat.Webp,
        SKEncodedImageFormat.Bmp, SKEncodedImageFormat.Gif,
    ];

    private readonly ImageLimits _limits;

    public ImagePreprocessor(ImageLimits? limits = null)
    {
        _limits = limits ?? new ImageLimits();
    }

    /// <summary>Decodes <paramref name="encoded"/> into <paramref name="destination"/> (<see cref="EncoderInput.FloatsPerImage"/> floats).</summary>
    /// <exception cref="ImageRejectedException">The input is not a usable image.</exception>
    public void DecodeInto(ReadOnlySpan<byte> encoded, Span<float> destination)
    {
        if (destination.Length < EncoderInput.FloatsPerImage)
        {
            throw new ArgumentException($"Destination needs {EncoderInput.FloatsPerImage} floats.", nameof(destination));
        }

        using var bitmap = Decode(encoded, out var origin);
        RenderToInput(bitmap, origin, destination);
    }

    /// <summary>
    /// Decodes <paramref name="encoded"/> for display, with the same checks as for the encoder: upright (EXIF
    /// orientation applied), alpha over white, scaled so its longer side is <paramref name="longerSide"/>.
    /// </summary>
    /// <exception cref="ImageRejectedException">The input is not a usable image.</exception>
    public SKBitmap DecodeUpright(ReadOnlySpan<byte> encoded, int longerSide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(longerSide, 1);
        using var bitmap = Decode(encoded, out var origin);
        var orientation = OrientationMatrix(origin, bitmap.Width, bitmap.Height, out var shownWidth, out var shownHeight);
        var scale = (float)longerSide / Math.Max(shownWidth, shownHeight);
        var target = new SKBitmap(new SKImageInfo(Math.Max(1, (int)(shownWidth * scale)), Math.Max(1, (int)(shownHeight * scale)), SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(target);
        using var image = SKImage.FromBitmap(bitmap);
        canvas.Clear(SKColors.White);
        canvas.SetMatrix(SKMatrix.CreateScale(scale, scale).PreConcat(orientation));
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        return target;
    }

    /// <summary>Validates and decodes the pixels (at least the encoder's size); the EXIF orientation is left to the caller.</summary>
    private SKBitmap Decode(ReadOnlySpan<byte> encoded, out SKEncodedOrigin origin)
    {
        if (encoded.IsEmpty)
        {
            throw new ImageRejectedException(FailureReason.Empty, "The file is empty (0 bytes).");
        }

        if (encoded.Length > _limits.MaxBytes)
        {
            throw new ImageRejectedException(FailureReason.TooLarge, $"The file is {encoded.Length:N0} bytes; the limit is {_limits.MaxBytes:N0}.");
        }

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(new SKMemoryStream(data), out var openResult)
            ?? throw (openResult == SKCodecResult.IncompleteInput
                ? new ImageRejectedException(FailureReason.Truncated, "The image data is truncated (the file ends inside the header).")
                : new ImageRejectedException(FailureReason.NotAnImage, $"Not a recognised image ({Describe(openResult)})."));
        if (!SupportedFormats.Contains(codec.EncodedFormat))
        {
            throw new ImageRejectedException(FailureReason.UnsupportedFormat, $"Unsupported image format {codec.EncodedFormat}; use {ImageFormats.Accepted}.");
        }

        var width = codec.Info.Width;
        var height = codec.Info.Height;
        if ((long)width * height > _limits.MaxPixels)
        {
            throw new ImageRejectedException(FailureReason.TooManyPixels, $"The image is {width}x{height} pixels; the limit is {_limits.MaxPixels:N0} pixels.");
        }

        if (width < _limits.MinSide || height < _limits.MinSide)
        {
            throw new ImageRejectedException(FailureReason.TooSmall, $"The image is {width}x{height} pixels; each side must be at least {_limits.MinSide}.");
        }

        origin = codec.EncodedOrigin;
        return DecodePixels(codec);
    }

    private static SKBitmap DecodePixels(SKCodec codec)
    {
        // JPEG can decode straight to a fraction of its size, far cheaper than a full decode and resize.
        var scale = Math.Max((float)EncoderInput.Side / codec.Info.Width, (float)EncoderInput.Side / codec.Info.Height);
        var size = scale < 1f ? codec.GetScaledDimensions(scale) : codec.Info.Size;
        if (size.Width < EncoderInput.Side || size.Height < EncoderInput.Side)
        {
            size = codec.Info.Size;
        }

        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result == SKCodecResult.Success)
        {
            return bitmap;
        }

        bitmap.Dispose();
        throw result switch
        {
            SKCodecResult.IncompleteInput => new ImageRejectedException(FailureReason.Truncated, "The image data is truncated (the file ends before the image does)."),
            SKCodecResult.ErrorInInput => new ImageRejectedException(FailureReason.Corrupt, "The image data is corrupt."),
            _ => new ImageRejectedException(FailureReason.Corrupt, $"The image could not be decoded ({Describe(result)})."),
        };
    }

    private static void RenderToInput(SKBitmap bitmap, SKEncodedOrigin origin, Span<float> destination)
    {
        const int side = EncoderInput.Side;
        var info = new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var target = new SKBitmap(info);
        using (var canvas = new SKCanvas(target))
        using (var image = SKImage.FromBitmap(bitmap))
        {
            canvas.Clear(SKColors.White);
            var orientation = OrientationMatrix(origin, bitmap.Width, bitmap.Height, out var shownWidth, out var shownHeight);
            canvas.SetMatrix(SKMatrix.CreateScale((float)side / shownWidth, (float)side / shownHeight).PreConcat(orientation));
            var sampling = bitmap.Width == side && bitmap.Height == side && origin == SKEncodedOrigin.TopLeft
                ? new SKSamplingOptions(SKFilterMode.Nearest)
                : new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
            canvas.DrawImage(image, 0, 0, sampling);
        }

        var pixels = target.GetPixelSpan();
        const int plane = side * side;
        for (var i = 0; i < plane; i++)
        {
            destination[i] = pixels[4 * i];
            destination[plane + i] = pixels[(4 * i) + 1];
            destination[(2 * plane) + i] = pixels[(4 * i) + 2];
        }
    }

    /// <summary>Maps stored pixels to displayed pixels for an EXIF orientation.</summary>
    private static SKMatrix OrientationMatrix(SKEncodedOrigin origin, int width, int height, out int shownWidth, out int shownHeight)
    {
        var swapsSides = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        shownWidth = swapsSides ? height : width;
        shownHeight = swapsSides ? width : height;
        return origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, height, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, height, -1, 0, width, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, width, 0, 0, 1),
            _ => SKMatrix.Identity,
        };
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data is incomplete",
        SKCodecResult.InvalidInput => "the data is not a valid image",
        SKCodecResult.Unimplemented => "this kind of image is not supported",
        _ => result.ToString(),
    };
}
