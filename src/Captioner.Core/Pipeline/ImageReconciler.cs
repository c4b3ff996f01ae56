using Captioner.Core.Messages;
using Captioner.Core.Storage;

namespace Captioner.Core.Pipeline;

/// <summary>
/// The safety net under the upload events: a bulk job over the whole <c>images</c> container that
/// captions any image still without a result for its content (an event lost or dead-lettered, or one the
/// local host's stand-in never sent). Images that have their result are skipped from the results'
/// listing, so a sweep costs listings, not a read per image. It also resumes bulk jobs whose lister died.
/// </summary>
public sealed class ImageReconciler(BulkLister lister, StorageClients storage)
{
    /// <summary>Resumes stalled bulk jobs and starts one sweep; returns the sweep's bulk job id.</summary>
    public async Task<string> StartAsync(CancellationToken cancellationToken = default)
    {
        await lister.ResumeStalledAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return await lister.StartAsync(
            new BulkRequestMessage
            {
                Id = $"reconcile-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..40],
                Container = storage.Names.ImagesContainer,
            },
            cancellationToken).ConfigureAwait(false);
    }
}
