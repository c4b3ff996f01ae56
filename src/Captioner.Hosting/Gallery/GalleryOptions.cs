namespace Captioner.Hosting.Gallery;

/// <summary><c>Captioner:Gallery</c>: how much of the <c>captions</c> container the page's listing and search read, and what image requests may cost.</summary>
public sealed class GalleryOptions
{
    /// <summary>Results listed (newest first) to sort by time; older ones are not shown (default 5,000).</summary>
    public int MaxListed { get; set; } = 5000;

    /// <summary>Newest results a search reads and matches (default 500): a search answers within a bounded cost.</summary>
    public int MaxSearched { get; set; } = 500;

    /// <summary>Largest page (default 60).</summary>
    public int MaxPageSize { get; set; } = 60;

    /// <summary>Longest side of a thumbnail in pixels (default 256).</summary>
    public int ThumbnailSide { get; set; } = 256;

    /// <summary>Largest image (width x height) a thumbnail is drawn from (default 25 megapixels, half the pipeline's limit: a thumbnail is a convenience).</summary>
    public long ThumbnailMaxPixels { get; set; } = 25_000_000;

    /// <summary>Uploads, full images and new thumbnails served at once per host (default 8); more wait briefly, then get 503.</summary>
    public int MaxConcurrentImageRequests { get; set; } = 8;
}
