using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary>One page of a bulk job: list, fan out, queue the next page.</summary>
public sealed class BulkRequested(BulkLister lister)
{
    [Function(nameof(BulkRequested))]
    public Task Run([QueueTrigger(StorageNames.BulkRequests, Connection = StorageNames.ConnectionSetting)] string message, CancellationToken cancellationToken) =>
        lister.HandleAsync(message, cancellationToken);
}
