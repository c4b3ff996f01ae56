using Azure.Storage.Blobs;
using Captioner.Core.Pipeline;
using Microsoft.Azure.WebJobs;

namespace Captioner.LocalHost;

/// <summary>
/// The Functions app's triggers on the WebJobs SDK: same names, paths, queues and connection
/// (a test checks them against the generated functions.metadata), calling the same handlers. The
/// blob trigger polls here; Event Grid delivers it in Azure.
/// </summary>
public sealed class LocalFunctions(ImageIngestHandler ingest, CaptionHandler captions, BulkLister lister)
{
    [FunctionName("ImageUploaded")]
    public Task ImageUploaded([BlobTrigger("images/{name}", Connection = "AzureWebJobsStorage")] BlobClient image, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ingest.HandleUploadAsync(image.BlobContainerName, name, cancellationToken);
    }

    [FunctionName("FeaturesQueued")]
    public Task FeaturesQueued([QueueTrigger("features", Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        captions.HandleAsync(message, cancellationToken);

    [FunctionName("CaptionRequested")]
    public Task CaptionRequested([QueueTrigger("caption-requests", Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        ingest.HandleRequestAsync(message, cancellationToken);

    [FunctionName("BulkRequested")]
    public Task BulkRequested([QueueTrigger("bulk-requests", Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        lister.HandleAsync(message, cancellationToken);
}
