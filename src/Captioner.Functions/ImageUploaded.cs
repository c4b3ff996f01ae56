using Captioner.Core.Pipeline;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary>
/// A blob landed in <c>images</c> (any folder depth): validate, encode, queue its features. Event Grid
/// writes the blob-created event to the <c>image-events</c> queue (see README, "Deploy to Azure": why a
/// queue rather than the blob trigger's webhook); the local host polls the container instead.
/// </summary>
public sealed class ImageUploaded(ImageIngestHandler ingest)
{
    [Function(nameof(ImageUploaded))]
    public Task Run([QueueTrigger("image-events", Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        ingest.HandleBlobEventAsync(message, cancellationToken);
}
