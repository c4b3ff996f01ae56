using Captioner.Hosting.Gallery;
using Microsoft.Extensions.Options;

namespace Captioner.Hosting.Http;

/// <summary>
/// Bounds the requests that hold an image in memory (uploads, full images, thumbnails drawn anew) so a burst of
/// them cannot exhaust a worker that is also captioning: past the limit a request waits briefly, then is refused.
/// </summary>
public sealed class HeavyRequests(IOptions<GalleryOptions> options) : IDisposable
{
    /// <summary>How long a request waits for a slot before it is answered 503.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    public const int RetryAfterSeconds = 2;

    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentImageRequests, options.Value.MaxConcurrentImageRequests);

    /// <summary>A slot to release when done, or null when the host is full.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken cancellationToken) =>
        await _slots.WaitAsync(Wait, cancellationToken).ConfigureAwait(false) ? new Slot(_slots) : null;

    public static ApiResult Full() => ApiResult.Busy(RetryAfterSeconds, "Too many image requests at once; try again shortly.");

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
