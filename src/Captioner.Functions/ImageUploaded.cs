using Azure.Storage.Blobs;
using Captioner.Core.Pipeline;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary>A blob landed in <c>images</c> (any folder depth): validate, encode, queue its features. Event Grid delivers the event.</summary>
public sealed class ImageUploaded(ImageIngestHandler ingest)
{
    [Function(nameof(ImageUploaded))]
    public Task Run(
        [BlobTrigger("images/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient image,
        string name,
        CancellationToken cancellationToken) =>
        ingest.HandleUploadAsync(image.BlobContainerName, name, cancellationToken);
}
