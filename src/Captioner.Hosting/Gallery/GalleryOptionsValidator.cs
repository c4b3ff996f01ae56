using Microsoft.Extensions.Options;

namespace Captioner.Hosting.Gallery;

/// <summary>The page's listing, search, thumbnail and concurrency limits, each in its range.</summary>
public sealed class GalleryOptionsValidator : IValidateOptions<GalleryOptions>
{
    public ValidateOptionsResult Validate(string? name, GalleryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxListed > 0 && options.MaxSearched > 0 && options.MaxPageSize > 0 && options.ThumbnailSide is >= 16 and <= 2048
            && options.ThumbnailMaxPixels > 0 && options.MaxConcurrentImageRequests is >= 1 and <= 1024
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Captioner:Gallery: MaxListed, MaxSearched, MaxPageSize and ThumbnailMaxPixels are positive; ThumbnailSide is 16..2048; MaxConcurrentImageRequests is 1..1024.");
    }
}
