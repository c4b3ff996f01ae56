namespace Captioner.Core.Imaging;

/// <summary>Why an input is not a usable image. Every reason is deterministic: retrying cannot help.</summary>
public enum ImageRejectionReason
{
    /// <summary>Zero bytes.</summary>
    Empty,

    /// <summary>More bytes than <see cref="ImageLimits.MaxBytes"/>.</summary>
    TooLarge,

    /// <summary>No known image signature.</summary>
    NotAnImage,

    /// <summary>An image format other than JPEG, PNG, WebP, BMP or GIF.</summary>
    UnsupportedFormat,

    /// <summary>Width x height above <see cref="ImageLimits.MaxPixels"/>.</summary>
    TooManyPixels,

    /// <summary>A side below <see cref="ImageLimits.MinSide"/>.</summary>
    TooSmall,

    /// <summary>The data ends before the image does.</summary>
    Truncated,

    /// <summary>The data is damaged and cannot be decoded.</summary>
    Corrupt,
}
