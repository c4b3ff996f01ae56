using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary>Features are queued: decode the caption and write the result.</summary>
public sealed class FeaturesQueued(CaptionHandler captions)
{
    [Function(nameof(FeaturesQueued))]
    public Task Run([QueueTrigger(StorageNames.Features, Connection = StorageNames.ConnectionSetting)] string message, CancellationToken cancellationToken) =>
        captions.HandleAsync(message, cancellationToken);
}
