using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary>
/// A blob landed in <c>images</c> (any folder depth): validate, encode, queue its features. Event Grid
/// writes the blob-created event to the <c>image-events</c> queue (see docs/operations.md, "Deploy to Azure": why a
/// queue rather than the blob trigger's webhook); the local host polls the container instead.
/// </summary>
public sealed class ImageUploaded(ImageIngestHandler ingest)
{
    [Function(nameof(ImageUploaded))]
    public Task Run([QueueTrigger(StorageNames.ImageEvents, Connection = StorageNames.ConnectionSetting)] string message, CancellationToken cancellationToken) =>
        ingest.HandleBlobEventAsync(message, cancellationToken);
}
