using Captioner.Core.Pipeline;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary>Hourly sweep of <c>images</c> for blobs without a result (an Event Grid event lost or dead-lettered).</summary>
public sealed class ReconcileImages(ImageReconciler reconciler)
{
    [Function(nameof(ReconcileImages))]
    public Task Run([TimerTrigger("0 7 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        reconciler.StartAsync(cancellationToken);
}
