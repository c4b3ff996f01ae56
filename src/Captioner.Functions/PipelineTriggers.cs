using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary>
/// The pipeline's queue triggers, each handing its message to a Core handler; the local host's
/// <c>LocalFunctions</c> declares the same four on the WebJobs SDK (a test checks both against functions.metadata).
/// </summary>
public sealed class PipelineTriggers(ImageIngestHandler ingest, CaptionHandler captions, BulkLister lister)
{
    /// <summary>
    /// A blob landed in <c>images</c> (any folder depth): validate, encode, queue its features. Event Grid writes the
    /// blob-created event to <c>image-events</c> (docs/operations.md, "Deploy to Azure": why a queue rather than the
    /// blob trigger's webhook).
    /// </summary>
    [Function(nameof(ImageUploaded))]
    public Task ImageUploaded([QueueTrigger(StorageNames.ImageEvents, Connection = StorageNames.ConnectionSetting)] string message, CancellationToken cancellationToken) =>
        ingest.HandleBlobEventAsync(message, cancellationToken);

    /// <summary>Features are queued: decode the caption and write the result.</summary>
    [Function(nameof(FeaturesQueued))]
    public Task FeaturesQueued([QueueTrigger(StorageNames.Features, Connection = StorageNames.ConnectionSetting)] string message, CancellationToken cancellationToken) =>
        captions.HandleAsync(message, cancellationToken);

    /// <summary>A bulk job's batch of existing images: the same ingest as uploads.</summary>
    [Function(nameof(CaptionRequested))]
    public Task CaptionRequested([QueueTrigger(StorageNames.CaptionRequests, Connection = StorageNames.ConnectionSetting)] string message, CancellationToken cancellationToken) =>
        ingest.HandleRequestAsync(message, cancellationToken);

    /// <summary>One page of a bulk job: list, fan out, queue the next page.</summary>
    [Function(nameof(BulkRequested))]
    public Task BulkRequested([QueueTrigger(StorageNames.BulkRequests, Connection = StorageNames.ConnectionSetting)] string message, CancellationToken cancellationToken) =>
        lister.HandleAsync(message, cancellationToken);
}
