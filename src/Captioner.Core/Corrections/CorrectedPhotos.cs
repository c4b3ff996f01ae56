using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs.Models;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;

namespace Captioner.Core.Corrections;

/// <summary>
/// The corrections that still describe their photos, with the photos' bytes as they were captioned: a correction whose
/// photo was replaced or deleted since is skipped and counted (<see cref="Stale"/>), never trained on. What
/// <c>captioner corrections export</c> writes and the training job reads.
/// </summary>
public sealed class CorrectedPhotos(StorageClients storage, ResultStore results, CorrectionStore corrections)
{
    /// <summary>Corrections skipped so far because their photo changed or went.</summary>
    public int Stale { get; private set; }

    public async IAsyncEnumerable<(CaptionCorrection Correction, BinaryData Image)> CurrentAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var correction in corrections.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            BinaryData? image = null;
            if (await CorrectionStore.IsCurrentAsync(correction, results, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    // The bytes the caption was about, or none: If-Match fails when the photo was replaced after its result.
                    var download = await storage.Container(correction.Container).GetBlobClient(correction.Image)
                        .DownloadContentAsync(new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = new ETag(correction.ETag) } }, cancellationToken)
                        .ConfigureAwait(false);
                    image = download.Value.Content;
                }
                catch (RequestFailedException ex) when (ex.Status is 404 or 412)
                {
                    image = null;
                }
            }

            if (image is null)
            {
                Stale++;
                continue;
            }

            yield return (correction, image);
        }
    }

    /// <summary>The name a corrected photo has in an exported or training dataset: <c>{container}/{image}</c>, so two containers' <c>a.jpg</c> stay apart.</summary>
    public static string DatasetName(CaptionCorrection correction)
    {
        ArgumentNullException.ThrowIfNull(correction);
        return $"{correction.Container}/{correction.Image}";
    }
}
