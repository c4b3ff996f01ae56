using Azure;
using Azure.Storage.Blobs.Models;
using Captioner.Core.Messages;
using Captioner.Core.Storage;
using Microsoft.Extensions.Options;

namespace Captioner.Core.Pipeline;

/// <summary>
/// Handles one <c>bulk-requests</c> message: lists one page of blobs under the prefix, fans them out
/// as <c>caption-requests</c> messages of up to 32 images, queues the next page with its continuation
/// token, then counts the page. A retried page re-sends its requests (the images dedupe) but is
/// counted once; a page counted already is not listed again.
/// </summary>
public sealed class BulkLister
{
    private readonly StorageClients _storage;
    private readonly BulkProgress _progress;
    private readonly PipelineOptions _options;
    private readonly PoisonMessages _poison;
    private readonly CaptionedListing _captioned;

    public BulkLister(StorageClients storage, BulkProgress progress, PoisonMessages poison, ResultStore results, IOptions<PipelineOptions> options)
    {
        _captioned = new CaptionedListing(results);
        _poison = poison;
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        _progress = progress;
        _options = options.Value;
    }

    /// <summary>Starts a bulk job: records it and queues its first page. Returns the job id.</summary>
    public async Task<string> StartAsync(BulkRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!(await _storage.Container(request.Container).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
        {
            throw new UnknownContainerException($"There is no container '{request.Container}'.");
        }

        var first = MessageCodec.Serialize(request with { Page = 0, Continuation = null });
        await _progress.StartAsync(request.Id, request.Container, request.Prefix, first, cancellationToken).ConfigureAwait(false);
        await SendAsync(_storage.Names.BulkRequestsQueue, first, cancellationToken).ConfigureAwait(false);
        return request.Id;
    }

    /// <summary>
    /// Queues again the next page of every bulk job (or just <paramref name="onlyId"/>) whose listing has made no
    /// progress for <see cref="PipelineOptions.BulkStallTimeout"/>: a lister killed while holding its page would
    /// otherwise hold the job for the platform's message lease. Pages and rows are keyed, so a page listed twice
    /// counts once. Returns how many were queued.
    /// </summary>
    public async Task<int> ResumeStalledAsync(string? onlyId = null, CancellationToken cancellationToken = default)
    {
        var pages = await _progress.TakeStalledPagesAsync(_options.BulkStallTimeout, onlyId, cancellationToken).ConfigureAwait(false);
        foreach (var page in pages)
        {
            await SendAsync(_storage.Names.BulkRequestsQueue, page, cancellationToken).ConfigureAwait(false);
        }

        return pages.Count;
    }

    /// <summary>Handles a <c>bulk-requests</c> message; an unreadable one goes to the poison queue.</summary>
    public async Task HandleAsync(string message, CancellationToken cancellationToken = default)
    {
        if (await _poison.ParseOrPoisonAsync(_storage.Names.BulkRequestsQueue, message, MessageCodec.ParseBulkRequest, cancellationToken).ConfigureAwait(false) is { } request)
        {
            await HandleAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lists and fans out one page.</summary>
    public async Task HandleAsync(BulkRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Page == 0)
        {
            // A first page may come straight from a user's bulk-requests message, without StartAsync.
            await _progress.StartAsync(request.Id, request.Container, request.Prefix, MessageCodec.Serialize(request), cancellationToken).ConfigureAwait(false);
        }

        if (await _progress.PagesListedAsync(request.Id, cancellationToken).ConfigureAwait(false) > request.Page)
        {
            return;
        }

        var container = _storage.Container(request.Container);
        var images = new List<ImageReference>();
        string? next = null;
        try
        {
            var pages = container.GetBlobsAsync(BlobTraits.None, BlobStates.None, request.Prefix, cancellationToken)
                .AsPages(request.Continuation, _options.BulkPageSize);
            await foreach (var page in pages.ConfigureAwait(false))
            {
                images.AddRange(page.Values
                    .Where(blob => !request.Exact || blob.Name == request.Prefix)
                    .Select(blob => new ImageReference(request.Container, blob.Name, blob.Properties.ETag?.ToString())));
                next = string.IsNullOrEmpty(page.ContinuationToken) || request.Exact ? null : page.ContinuationToken;
                break;
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 400 or 404)
        {
            // Listing will never work (the container was deleted, the request cannot be served): the job ends, failed, with
            // the reason in its status, instead of retrying into the poison queue and staying "running".
            await _progress.FailAsync(request.Id, $"Listing page {request.Page} of '{request.Container}' failed for good: {ex.ErrorCode ?? ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}.", cancellationToken).ConfigureAwait(false);
            return;
        }

        // Unless forced, images with a result for their listed content are counted as skipped here, from the results'
        // listing, and never sent: a job over a captioned backlog costs listings, not a read and a row per image.
        // The first attempt's choice is kept, so a retried page counts each image once whatever was captioned since.
        var cursor = new ResultsCursor(request.ResultsContinuation, request.ResultsAfter, request.ResultsExhausted);
        var skipped = 0;
        if (!request.Force)
        {
            (var captioned, cursor) = await _captioned.FindAsync(request.Container, request.Prefix, images, cursor, cancellationToken).ConfigureAwait(false);
            var decided = await _progress.DecidePageAsync(request.Id, request.Page, captioned, cancellationToken).ConfigureAwait(false);
            skipped = images.Count(image => decided.Contains(image.Name));
            images = [.. images.Where(image => !decided.Contains(image.Name))];
        }

        foreach (var chunk in images.Chunk(CaptionRequestMessage.MaxImages))
        {
            var message = new CaptionRequestMessage { BulkId = request.Id, Images = chunk, Force = request.Force, Decoding = request.Decoding };
            await SendAsync(_storage.Names.CaptionRequestsQueue, MessageCodec.Serialize(message), cancellationToken).ConfigureAwait(false);
        }

        string? nextPage = null;
        if (next is not null)
        {
            nextPage = MessageCodec.Serialize(request with
            {
                Page = request.Page + 1,
                Continuation = next,
                ResultsContinuation = cursor.Continuation,
                ResultsAfter = cursor.After,
                ResultsExhausted = cursor.Exhausted,
            });
            await SendAsync(_storage.Names.BulkRequestsQueue, nextPage, cancellationToken).ConfigureAwait(false);
        }

        await _progress.RecordPageAsync(request.Id, request.Page, images.Count + skipped, skipped, last: next is null, nextPage, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAsync(string queue, string text, CancellationToken cancellationToken) =>
        await _storage.Queue(queue).SendMessageAsync(text, cancellationToken).ConfigureAwait(false);
}
