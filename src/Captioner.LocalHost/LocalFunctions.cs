using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Microsoft.Azure.WebJobs;

namespace Captioner.LocalHost;

/// <summary>
/// The Functions app's triggers on the WebJobs SDK: same names, queues and connection (a test checks
/// them against the generated functions.metadata), calling the same handlers. Upload events reach
/// <c>image-events</c> from Event Grid in Azure and from <see cref="LocalBlobEvents"/> here.
/// </summary>
public sealed class LocalFunctions(ImageIngestHandler ingest, CaptionHandler captions, BulkLister lister)
{
    [FunctionName(nameof(ImageUploaded))]
    public Task ImageUploaded([QueueTrigger(StorageNames.ImageEvents, Connection = StorageNames.ConnectionSetting)] string message, CancellationToken cancellationToken) =>
        ingest.HandleBlobEventAsync(message, cancellationToken);

    [FunctionName(nameof(FeaturesQueued))]
    public Task FeaturesQueued([QueueTrigger(StorageNames.Features, Connection = StorageNames.ConnectionSetting)] string message, CancellationToken cancellationToken) =>
        captions.HandleAsync(message, cancellationToken);

    [FunctionName(nameof(CaptionRequested))]
    public Task CaptionRequested([QueueTrigger(StorageNames.CaptionRequests, Connection = StorageNames.ConnectionSetting)] string message, CancellationToken cancellationToken) =>
        ingest.HandleRequestAsync(message, cancellationToken);

    [FunctionName(nameof(BulkRequested))]
    public Task BulkRequested([QueueTrigger(StorageNames.BulkRequests, Connection = StorageNames.ConnectionSetting)] string message, CancellationToken cancellationToken) =>
        lister.HandleAsync(message, cancellationToken);
}
