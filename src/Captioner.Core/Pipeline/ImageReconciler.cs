using Captioner.Core.Messages;
using Captioner.Core.Storage;

namespace Captioner.Core.Pipeline;

/// <summary>
/// The safety net under the blob trigger: a bulk job over the whole <c>images</c> container that
/// captions any image still without a result for its content (a missed or dead-lettered event, a
/// polling scan that skipped a blob). Images that have their result are skipped, so a sweep costs a
/// listing, not a re-caption.
/// </summary>
public sealed class ImageReconciler(BulkLister lister, StorageClients storage)
{
    /// <summary>Starts one sweep; returns its bulk job id.</summary>
    public Task<string> StartAsync(CancellationToken cancellationToken = default) =>
        lister.StartAsync(
            new BulkRequestMessage
            {
                Id = $"reconcile-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..40],
                Container = storage.Names.ImagesContainer,
            },
            cancellationToken);
}
