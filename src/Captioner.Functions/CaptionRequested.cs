using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary>A bulk job's batch of existing images: same ingest as uploads.</summary>
public sealed class CaptionRequested(ImageIngestHandler ingest)
{
    [Function(nameof(CaptionRequested))]
    public Task Run([QueueTrigger(StorageNames.CaptionRequests, Connection = StorageNames.ConnectionSetting)] string message, CancellationToken cancellationToken) =>
        ingest.HandleRequestAsync(message, cancellationToken);
}
