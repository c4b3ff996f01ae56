namespace Captioner.Core.Imaging;

/// <summary>What an input image may be. Checked before any pixel is decoded.</summary>
public sealed class ImageLimits
{
    /// <summary>Largest accepted encoded size in bytes (default 20 MB).</summary>
    public long MaxBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Largest accepted width x height, read from the header (default 50 megapixels); stops decompression bombs.</summary>
    public long MaxPixels { get; set; } = 50_000_000;

    /// <summary>Smallest accepted width and height in pixels (default 16).</summary>
    public int MinSide { get; set; } = 16;
}
