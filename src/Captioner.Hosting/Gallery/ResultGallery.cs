using Azure.Storage.Blobs;
using Captioner.Core.Pipeline;
using Microsoft.Extensions.Options;

namespace Captioner.Hosting.Gallery;

/// <summary>
/// Lists the <c>captions</c> container for the page: newest first by the result blob's last-modified time
/// (listing returns it, no extra request), paged by offset. A search matches caption words over the newest
/// <see cref="GalleryOptions.MaxSearched"/> results only: blob storage has no index to search.
/// </summary>
public sealed class ResultGallery(BlobContainerClient captions, ResultStore results, IOptions<GalleryOptions> options)
{
    public async Task<GalleryPage> ListAsync(int offset, int limit, string? query, CancellationToken cancellationToken) =>
        await ListAsync(offset, limit, query, unsureOnly: false, leastSureFirst: false, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A page of results: newest first, or least sure first (unsure captions, then by confidence rising; failures last),
    /// optionally only the unsure ones. Filtering and ordering read the newest <see cref="GalleryOptions.MaxSearched"/> results, like a search.
    /// </summary>
    public async Task<GalleryPage> ListAsync(int offset, int limit, string? query, bool unsureOnly, bool leastSureFirst, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        offset = Math.Max(0, offset);
        limit = Math.Clamp(limit, 1, settings.MaxPageSize);
        var (names, listingLimited) = await NewestFirstAsync(settings.MaxListed, cancellationToken).ConfigureAwait(false);
        var words = Words(query);
        if (words.Length == 0 && !unsureOnly && !leastSureFirst)
        {
            var page = await ReadAsync(names.Skip(offset).Take(limit), cancellationToken).ConfigureAwait(false);
            return new GalleryPage(page, offset, names.Count, null, listingLimited);
        }

        var searched = names.Take(settings.MaxSearched).ToList();
        var matches = (await ReadAsync(searched, cancellationToken).ConfigureAwait(false))
            .Where(result => words.Length == 0 || Matches(result, words))
            .Where(result => !unsureOnly || result.Unsure == true)
            .ToList();
        if (leastSureFirst)
        {
            // A stable sort: equally sure results keep their newest-first order.
            matches = [.. matches.OrderBy(SureRank).ThenBy(result => result.Confidence ?? 1.0)];
        }

        return new GalleryPage([.. matches.Skip(offset).Take(limit)], offset, matches.Count, searched.Count, listingLimited || names.Count > searched.Count);
    }

    /// <summary>Unsure captions first, then the others; failures (no caption to review) last.</summary>
    internal static int SureRank(CaptionResult result) =>
        result.Status == CaptionResult.Failed ? 2 : result.Unsure == true ? 0 : 1;

    /// <summary>Lower-case words of a query; a result matches when its caption or an n-best caption has every one.</summary>
    internal static string[] Words(string? query) =>
        string.IsNullOrWhiteSpace(query) ? [] : [.. query.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(10)];

    internal static bool Matches(CaptionResult result, string[] words)
    {
        var captions = (result.NBest?.Select(n => n.Caption) ?? []).Append(result.Caption).Append(result.BestGuess).OfType<string>();
        return captions.Any(caption =>
        {
            var captionWords = caption.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return words.All(captionWords.Contains);
        });
    }

    private async Task<(List<(string Container, string Image)> Names, bool Limited)> NewestFirstAsync(int maxListed, CancellationToken cancellationToken)
    {
        var listed = new List<((string Container, string Image) Name, DateTimeOffset Modified)>();
        await foreach (var blob in captions.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (results.Names.Parse(blob.Name) is { } name)
            {
                listed.Add((name, blob.Properties.LastModified ?? DateTimeOffset.MinValue));
            }

            if (listed.Count > maxListed)
            {
                break;
            }
        }

        var limited = listed.Count > maxListed;
        return ([.. listed.OrderByDescending(b => b.Modified).ThenBy(b => b.Name.Image, StringComparer.Ordinal).ThenBy(b => b.Name.Container, StringComparer.Ordinal).Take(maxListed).Select(b => b.Name)], limited);
    }

    private async Task<List<CaptionResult>> ReadAsync(IEnumerable<(string Container, string Image)> images, CancellationToken cancellationToken)
    {
        var names = images.ToList();
        var read = new CaptionResult?[names.Count];

        // A few reads at a time: a page of thumbnails should not wait for sixty round trips in a row.
        await Parallel.ForEachAsync(Enumerable.Range(0, names.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, token) =>
            read[i] = await results.GetAsync(names[i].Container, names[i].Image, token).ConfigureAwait(false)).ConfigureAwait(false);
        return [.. read.OfType<CaptionResult>()];
    }
}
