using Captioner.Core;
using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs.Models;
using Captioner.Core.Batching;
using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.Core.Messages;
using Captioner.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Captioner.Core.Pipeline;

/// <summary>
/// The first stage, for uploads and bulk requests alike: read the image, validate and encode it (in the
/// process-wide encoder batch) and hand it to a sink: an upload's to the <c>features</c> queue for the decoding
/// function, a bulk request's to the decoder in this process (<see cref="DecoderSink"/>), because a bulk message
/// already carries a batch of images and its worker holds their features. Bulk images are counted here, whatever
/// their outcome, and only here. A rejected image gets its failure result at once (never retried); a storage request
/// that still fails after the SDK's retries fails the message, which its queue delivers again.
/// </summary>
public sealed class ImageIngestHandler : IDisposable
{
    private readonly StorageClients _storage;
    private readonly EncoderBatcher _encoder;
    private readonly ResultStore _results;
    private readonly FeaturesQueueSink _queue;
    private readonly DecoderSink _decoder;
    private readonly PipelineOptions _options;
    private readonly BulkProgress _bulk;
    private readonly PoisonMessages _poison;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _inFlight;

    public ImageIngestHandler(StorageClients storage, EncoderBatcher encoder, ResultStore results, FeaturesQueueSink queue, DecoderSink decoder, BulkProgress bulk, PoisonMessages poison, IOptions<PipelineOptions> options, ILogger<ImageIngestHandler> logger)
    {
        _queue = queue;
        _decoder = decoder;
        _poison = poison;
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        _encoder = encoder;

        // Eight encoder batches' worth of images read and decoded ahead of the network (256 on the CPU: about 150 MB
        // of pixels): enough to keep it busy (measured: a bound of 128 cost a fifth of a bulk job's speed), while a burst
        // of bulk requests (48 messages of 32 images) neither holds fifteen hundred images in memory nor opens as many
        // downloads at once.
        _inFlight = new SemaphoreSlim(8 * encoder.Settings.MaxBatch);
        _results = results;
        _bulk = bulk;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// Ingests one uploaded image with the default decoding. No result check first: the trigger fires once
    /// per content, and a duplicate delivery costs an encode, not a second result (the first result wins).
    /// </summary>
    public async Task<IngestOutcome> HandleUploadAsync(string container, string name, CancellationToken cancellationToken = default) =>
        await IngestAsync(new ImageReference(container, name), _options.Decoding, bulkId: null, force: false, skipCaptioned: false, _queue, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Ingests the blob of an <c>image-events</c> message (Event Grid's blob-created event); other event
    /// types are ignored and an unreadable message goes to the poison queue.
    /// </summary>
    public async Task HandleBlobEventAsync(string message, CancellationToken cancellationToken = default)
    {
        if (await _poison.ParseOrPoisonAsync(_storage.Names.ImageEventsQueue, message, BlobCreatedEvent.Parse, cancellationToken).ConfigureAwait(false) is { Image: { } image })
        {
            await HandleUploadAsync(image.Container, image.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ingests a bulk caption request: all its images at once, so their downloads overlap and their encodes
    /// share batches. Unless forced, an image whose content has a result already is skipped, before its download
    /// when the listing gave its ETag.
    /// </summary>
    public async Task<IReadOnlyList<IngestOutcome>> HandleRequestAsync(CaptionRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await Task.WhenAll(request.Images.Select(image =>
            IngestAsync(image, request.Decoding, request.BulkId, request.Force, skipCaptioned: !request.Force, _decoder, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Ingests a <c>caption-requests</c> message; an unreadable one goes to the poison queue.</summary>
    public async Task HandleRequestAsync(string message, CancellationToken cancellationToken = default)
    {
        if (await _poison.ParseOrPoisonAsync(_storage.Names.CaptionRequestsQueue, message, MessageCodec.ParseCaptionRequest, cancellationToken).ConfigureAwait(false) is { } request)
        {
            await HandleRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IngestOutcome> IngestAsync(ImageReference image, DecodingSpec decoding, string? bulkId, bool force, bool skipCaptioned, IEncodedImageSink sink, CancellationToken cancellationToken)
    {
        if (ImageNames.Problem(image.Name) is { } problem)
        {
            _logger.BlobNameRefused(image.Name, problem);
            return await RecordAsync(bulkId, image.Name, IngestOutcome.Ignored, cancellationToken).ConfigureAwait(false);
        }

        if (skipCaptioned && image.ETag is not null && await IsCaptionedAsync(image, cancellationToken).ConfigureAwait(false))
        {
            return await RecordAsync(bulkId, image.Name, IngestOutcome.Skipped, cancellationToken).ConfigureAwait(false);
        }

        // Only reading and encoding hold a slot: they are what holds memory (the image, its pixels).
        var clock = Stopwatch.StartNew();
        ImageDownload download;
        FeatureResult? features = null;
        double downloadMs, encodeMs = 0;
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            download = await DownloadAsync(image, cancellationToken).ConfigureAwait(false);
            downloadMs = clock.Elapsed.TotalMilliseconds;
            if (!download.TooLarge && download.Content.Length > 0 && !(skipCaptioned && download.ETag != image.ETag && await IsCaptionedAsync(image with { ETag = download.ETag }, cancellationToken).ConfigureAwait(false)))
            {
                clock.Restart();
                features = await _encoder.EncodeAsync(download.Content, cancellationToken).ConfigureAwait(false);
                encodeMs = clock.Elapsed.TotalMilliseconds;
            }
        }
        finally
        {
            _inFlight.Release();
        }

        var current = image with { ETag = download.ETag };
        if (download.TooLarge)
        {
            return await FailAsync(current, FailureReason.TooLarge, $"The image is larger than the limit of {_options.Limits.MaxBytes:N0} bytes.", bulkId, force, cancellationToken).ConfigureAwait(false);
        }

        if (download.ETag is null || download.Content.Length == 0)
        {
            // Gone, or an empty placeholder (some uploaders create the blob before writing it): nothing to caption.
            return await RecordAsync(bulkId, image.Name, IngestOutcome.Ignored, cancellationToken).ConfigureAwait(false);
        }

        if (features is null)
        {
            // Its content changed since it was listed, and the new content has its result already.
            return await RecordAsync(bulkId, image.Name, IngestOutcome.Skipped, cancellationToken).ConfigureAwait(false);
        }

        if (!features.Succeeded)
        {
            return await FailAsync(current, features.Reason!.Value, features.Error!, bulkId, force, cancellationToken).ConfigureAwait(false);
        }

        var timings = new Dictionary<string, double> { ["downloadMs"] = Math.Round(downloadMs, 1), ["encodeMs"] = Math.Round(encodeMs, 1) };
        var outcome = await sink.AcceptAsync(new EncodedImage(current, features, decoding, bulkId, force, timings), cancellationToken).ConfigureAwait(false);
        return await RecordAsync(bulkId, image.Name, outcome, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the image in one request: the first <c>MaxBytes + 1</c> bytes, whose response also carries the
    /// blob's full length (over the limit: nothing more is read) and the ETag of exactly the content read.
    /// </summary>
    private async Task<ImageDownload> DownloadAsync(ImageReference image, CancellationToken cancellationToken)
    {
        var blob = _storage.Container(image.Container).GetBlobClient(image.Name);
        try
        {
            var response = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(0, _options.Limits.MaxBytes + 1) }, cancellationToken).ConfigureAwait(false);
            using var content = response.Value.Content;
            var details = response.Value.Details;
            var etag = details.ETag.ToString();
            if (BlobLength(details) > _options.Limits.MaxBytes)
            {
                return new ImageDownload([], etag, TooLarge: true);
            }

            // The SDK's download stream resumes by itself if the connection drops mid-body.
            using var buffer = new MemoryStream((int)Math.Max(0, details.ContentLength));
            await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return new ImageDownload(buffer.ToArray(), etag, TooLarge: false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 416)
        {
            // Gone, or empty (a range of an empty blob cannot be satisfied).
            return new ImageDownload([], null, TooLarge: false);
        }
    }

    /// <summary>The whole blob's length, from <c>Content-Range: bytes 0-N/LENGTH</c> (or the body's length when the range was ignored).</summary>
    private static long BlobLength(BlobDownloadDetails details) =>
        details.ContentRange is { } range && range.LastIndexOf('/') is var slash and >= 0 && long.TryParse(range.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture, out var length)
            ? length
            : details.ContentLength;

    private async Task<bool> IsCaptionedAsync(ImageReference image, CancellationToken cancellationToken) =>
        await _results.GetAsync(image.Container, image.Name, cancellationToken).ConfigureAwait(false) is { } existing && existing.ETag == image.ETag;

    private async Task<IngestOutcome> FailAsync(ImageReference image, FailureReason reason, string error, string? bulkId, bool force, CancellationToken cancellationToken)
    {
        _logger.ImageRejected(image.Name, reason, error);
        await _results.WriteAsync(new CaptionResult
        {
            Image = image.Name,
            Container = image.Container,
            ETag = image.ETag,
            Status = CaptionResult.Failed,
            Reason = reason,
            Error = error,
            Encoder = EncoderIdentity.Name,
            BulkId = bulkId,
            Time = DateTimeOffset.UtcNow,
        }, replace: force, cancellationToken).ConfigureAwait(false);
        return await RecordAsync(bulkId, image.Name, IngestOutcome.Failed, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IngestOutcome> RecordAsync(string? bulkId, string image, IngestOutcome outcome, CancellationToken cancellationToken)
    {
        if (bulkId is not null)
        {
            var status = outcome switch
            {
                IngestOutcome.Captioned or IngestOutcome.CaptionedUnsure => BulkItemStatus.Done,
                IngestOutcome.Failed => BulkItemStatus.Failed,
                IngestOutcome.Skipped or IngestOutcome.Ignored => BulkItemStatus.Skipped,
                _ => throw new InvalidOperationException($"A bulk image cannot end {outcome}."),
            };
            await _bulk.RecordAsync(bulkId, image, status, unsure: outcome == IngestOutcome.CaptionedUnsure, cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    public void Dispose() => _inFlight.Dispose();

    private sealed record ImageDownload(byte[] Content, string? ETag, bool TooLarge);
}
