using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs;
using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.Core.Messages;
using Captioner.Core.Models;
using Captioner.Core.Resilience;
using Captioner.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Captioner.Core.Pipeline;

/// <summary>
/// The first stage, for uploads and bulk requests alike: read the image, validate and encode it, and
/// queue its features. A rejected image gets its failure result at once (never retried); transient
/// storage errors are retried by the Polly pipeline and then by the message's own retry.
/// </summary>
public sealed partial class ImageIngestHandler
{
    private readonly StorageClients _storage;
    private readonly ImageFeaturizer _featurizer;
    private readonly ResultStore _results;
    private readonly ModelRegistry _models;
    private readonly PipelineOptions _options;
    private readonly BulkProgress _bulk;
    private readonly PoisonMessages _poison;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _resilience = StorageResilience.Create();

    public ImageIngestHandler(StorageClients storage, ImageFeaturizer featurizer, ResultStore results, ModelRegistry models, BulkProgress bulk, PoisonMessages poison, IOptions<PipelineOptions> options, ILogger<ImageIngestHandler> logger)
    {
        _poison = poison;
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        _featurizer = featurizer;
        _results = results;
        _models = models;
        _bulk = bulk;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Ingests one uploaded image with the default decoding.</summary>
    public async Task<IngestOutcome> HandleUploadAsync(string container, string name, CancellationToken cancellationToken = default) =>
        (await HandleAsync([new ImageReference(container, name)], _options.Decoding, bulkId: null, force: false, cancellationToken).ConfigureAwait(false))[0];

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

    /// <summary>Ingests a bulk caption request (a batch of images encoded together).</summary>
    public Task<IReadOnlyList<IngestOutcome>> HandleRequestAsync(CaptionRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HandleAsync(request.Images, request.Decoding, request.BulkId, request.Force, cancellationToken);
    }

    /// <summary>Ingests a <c>caption-requests</c> message; an unreadable one goes to the poison queue.</summary>
    public async Task HandleRequestAsync(string message, CancellationToken cancellationToken = default)
    {
        if (await _poison.ParseOrPoisonAsync(_storage.Names.CaptionRequestsQueue, message, MessageCodec.ParseCaptionRequest, cancellationToken).ConfigureAwait(false) is { } request)
        {
            await HandleRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<IngestOutcome>> HandleAsync(IReadOnlyList<ImageReference> images, DecodingSpec decoding, string? bulkId, bool force, CancellationToken cancellationToken)
    {
        var outcomes = new IngestOutcome[images.Count];
        var pending = new List<(int Index, ImageReference Image, byte[] Content, double DownloadMs)>();
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i];
            if (BlobNames.Problem(image.Name) is { } problem)
            {
                LogInvalidName(image.Name, problem);
                outcomes[i] = IngestOutcome.Ignored;
                await RecordAsync(bulkId, image.Name, IngestOutcome.Ignored, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var clock = Stopwatch.StartNew();
            var (content, etag) = await DownloadAsync(image, cancellationToken).ConfigureAwait(false);
            var downloadMs = clock.Elapsed.TotalMilliseconds;
            var current = image with { ETag = etag };
            if (content is null)
            {
                outcomes[i] = await FailAsync(current, ImageRejectionReason.TooLarge, $"The image is larger than the limit of {_options.Limits.MaxBytes:N0} bytes.", bulkId, force, cancellationToken).ConfigureAwait(false);
            }
            else if (etag is null || content.Length == 0)
            {
                // Gone, or an empty placeholder (some uploaders create the blob before writing it): nothing to caption.
                outcomes[i] = IngestOutcome.Ignored;
                await RecordAsync(bulkId, image.Name, IngestOutcome.Ignored, cancellationToken).ConfigureAwait(false);
            }
            else if (!force && await IsCaptionedAsync(current, cancellationToken).ConfigureAwait(false))
            {
                outcomes[i] = IngestOutcome.Skipped;
                await RecordAsync(bulkId, image.Name, IngestOutcome.Skipped, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                pending.Add((i, current, content, downloadMs));
            }
        }

        if (pending.Count == 0)
        {
            return outcomes;
        }

        var encodeClock = Stopwatch.StartNew();
        var features = _featurizer.Featurize(pending.Count, i => pending[i].Content);
        var encodeMs = encodeClock.Elapsed.TotalMilliseconds / pending.Count;
        var queue = _storage.Queue(_storage.Names.FeaturesQueue);
        for (var p = 0; p < pending.Count; p++)
        {
            var (index, image, _, downloadMs) = pending[p];
            var result = features[p];
            if (!result.Succeeded)
            {
                outcomes[index] = await FailAsync(image, result.Reason!.Value, result.Error!, bulkId, force, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var message = new FeaturesMessage
            {
                Image = image,
                Encoder = EncoderIdentity.Name,
                Features = MessageCodec.PackFeatures(result.Features),
                Map = MessageCodec.PackMap(result.Map),
                Decoding = decoding,
                BulkId = bulkId,
                Force = force,
                Timings = new() { ["downloadMs"] = Math.Round(downloadMs, 1), ["encodeMs"] = Math.Round(encodeMs, 1) },
                EnqueuedAt = DateTimeOffset.UtcNow,
            };
            await _resilience.ExecuteAsync(async token => await queue.SendMessageAsync(MessageCodec.Serialize(message), token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            outcomes[index] = IngestOutcome.Queued;
        }

        return outcomes;
    }

    private async Task<(byte[]? Content, string? ETag)> DownloadAsync(ImageReference image, CancellationToken cancellationToken)
    {
        var blob = _storage.Container(image.Container).GetBlobClient(image.Name);
        return await _resilience.ExecuteAsync(async token =>
        {
            try
            {
                var properties = await blob.GetPropertiesAsync(cancellationToken: token).ConfigureAwait(false);
                var etag = properties.Value.ETag.ToString();
                if (properties.Value.ContentLength > _options.Limits.MaxBytes)
                {
                    return ((byte[]?)null, (string?)etag);
                }

                // Read exactly the version whose properties were checked.
                var content = await blob.DownloadContentAsync(new Azure.Storage.Blobs.Models.BlobDownloadOptions { Conditions = new() { IfMatch = properties.Value.ETag } }, token).ConfigureAwait(false);
                return (content.Value.Content.ToArray(), etag);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return ([], null);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> IsCaptionedAsync(ImageReference image, CancellationToken cancellationToken)
    {
        var existing = await _results.GetAsync(image.Name, cancellationToken).ConfigureAwait(false);
        return existing is not null && existing.ETag == image.ETag &&
            (existing.Status == CaptionResult.Failed || existing.ModelVersion == _models.CurrentVersion);
    }

    private async Task<IngestOutcome> FailAsync(ImageReference image, ImageRejectionReason reason, string error, string? bulkId, bool force, CancellationToken cancellationToken)
    {
        LogRejected(image.Name, reason, error);
        await _results.WriteAsync(new CaptionResult
        {
            Image = image.Name,
            Container = image.Container,
            ETag = image.ETag,
            Status = CaptionResult.Failed,
            Reason = reason.ToString(),
            Error = error,
            Encoder = EncoderIdentity.Name,
            BulkId = bulkId,
            Time = DateTimeOffset.UtcNow,
        }, replace: force, cancellationToken).ConfigureAwait(false);
        await RecordAsync(bulkId, image.Name, IngestOutcome.Failed, cancellationToken).ConfigureAwait(false);
        return IngestOutcome.Failed;
    }

    private Task RecordAsync(string? bulkId, string image, IngestOutcome outcome, CancellationToken cancellationToken) =>
        bulkId is null ? Task.CompletedTask : _bulk.RecordAsync(bulkId, image, outcome == IngestOutcome.Failed ? BulkItemStatus.Failed : BulkItemStatus.Skipped, cancellationToken);

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Image {Name} rejected ({Reason}): {Error}")]
    private partial void LogRejected(string name, ImageRejectionReason reason, string error);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Blob name refused: {Name}: {Problem}")]
    private partial void LogInvalidName(string name, string problem);
}
