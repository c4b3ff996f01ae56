using Captioner.Core.Imaging;

namespace Captioner.Core;

/// <summary>
/// Why an image ended with a failed result instead of a caption: the one list of reasons, written by name in the
/// result's <c>reason</c>. Every reason is deterministic: retrying cannot help (what can is retried, not recorded).
/// </summary>
public enum FailureReason
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

    /// <summary>The features were made by another encoder than the model's, or carry no region map for an attention model.</summary>
    EncoderMismatch,

    /// <summary>The decoding settings asked for (a bulk job's) are outside what the model can do, e.g. a word it does not know.</summary>
    InvalidDecoding,
}
