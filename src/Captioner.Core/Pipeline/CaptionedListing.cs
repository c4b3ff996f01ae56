using Azure.Storage.Blobs.Models;
using Captioner.Core.Messages;

namespace Captioner.Core.Pipeline;

/// <summary>
/// Tells which images of a listed page already have a result for their current content without reading a
/// result: it walks the name-sorted listing of the results beside the listing of the images (a result's metadata
/// carries its image's ETag), one listing page answering up to 5,000 images. The walk resumes where the previous
/// page left it (<see cref="ResultsCursor"/>, carried in the next page's message). An image it cannot vouch for
/// (no metadata on an older result, a name whose result sorts out of step) is simply not reported: the pipeline
/// then checks it the slow way, so a miss costs a read, never a caption.
/// </summary>
/// <param name="results">The results store whose container is listed.</param>
/// <param name="resultsPerPage">Results per listing request: the service's maximum unless a test wants pages small.</param>
public sealed class CaptionedListing(ResultStore results, int resultsPerPage = CaptionedListing.ResultsPerPage)
{
    /// <summary>Results per listing request (the service's maximum).</summary>
    public const int ResultsPerPage = 5000;

    /// <summary>The names of <paramref name="page"/>'s images (sorted by name, as listed) whose result is for the listed ETag.</summary>
    public async Task<(HashSet<string> Captioned, ResultsCursor Cursor)> FindAsync(
        string container, string prefix, IReadOnlyList<ImageReference> page, ResultsCursor cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(cursor);
        var captioned = new HashSet<string>(StringComparer.Ordinal);
        if (cursor.Exhausted || page.Count == 0)
        {
            return (captioned, cursor);
        }

        var wanted = page.Where(image => image.ETag is not null).ToDictionary(image => image.Name, image => image.ETag!.Trim('"'), StringComparer.Ordinal);
        var bound = results.Names.For(container, page[^1].Name);
        var token = cursor.Continuation;
        while (true)
        {
            var (entries, next) = await ListPageAsync(results.Names.PrefixFor(container, prefix), token, cancellationToken).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                if (cursor.After is not null && string.CompareOrdinal(entry.Name, cursor.After) <= 0)
                {
                    continue;
                }

                if (string.CompareOrdinal(entry.Name, bound) > 0)
                {
                    // Past this page: the next page starts from this same listing page.
                    return (captioned, new ResultsCursor(token, bound, Exhausted: false));
                }

                if (results.Names.Parse(entry.Name) is { } name && name.Container == container
                    && wanted.TryGetValue(name.Image, out var etag)
                    && entry.Metadata?.TryGetValue(ResultStore.ImageETagMetadata, out var resultETag) == true && resultETag == etag)
                {
                    captioned.Add(name.Image);
                }
            }

            if (next is null)
            {
                return (captioned, new ResultsCursor(null, bound, Exhausted: true));
            }

            // The listing page ends on this page's last image: every later result sorts after it, so the next page of
            // images resumes from the next listing page without this one being listed again (a captioned backlog's case).
            if (entries.Count > 0 && string.Equals(entries[^1].Name, bound, StringComparison.Ordinal))
            {
                return (captioned, new ResultsCursor(next, bound, Exhausted: false));
            }

            token = next;
        }
    }

    private async Task<(IReadOnlyList<BlobItem> Entries, string? Next)> ListPageAsync(string prefix, string? token, CancellationToken cancellationToken)
    {
        var pages = results.Container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken).AsPages(token, resultsPerPage);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            return (page.Values, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return ([], null);
    }
}

/// <summary>Where the walk over the results stopped: the listing page to resume from and the last result name already considered.</summary>
public sealed record ResultsCursor(string? Continuation, string? After, bool Exhausted)
{
    public static ResultsCursor Start { get; } = new(null, null, false);
}
