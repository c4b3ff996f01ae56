using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Captioner.Core.Pipeline;

namespace Captioner.Core.Corrections;

/// <summary>
/// People's corrections, one blob per photo under <c>corrections/{container}/{image}.json</c> in the training container
/// (the training job reads them where it reads datasets; the captioning app may write under this prefix only). A newer
/// correction of the same photo replaces the older one.
/// </summary>
public sealed class CorrectionStore(BlobContainerClient trainingContainer)
{
    public const string Prefix = "corrections/";

    public BlobContainerClient Container => trainingContainer;

    public static string BlobName(string container, string image) => $"{Prefix}{container}/{image}.json";

    public async Task PutAsync(CaptionCorrection correction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(correction);
        await trainingContainer.GetBlobClient(BlobName(correction.Container, correction.Image))
            .UploadAsync(new BinaryData(correction.Serialize()), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The stored correction of the photo, whatever content it was for; null when there is none.</summary>
    public async Task<CaptionCorrection?> GetAsync(string container, string image, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await trainingContainer.GetBlobClient(BlobName(container, image)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return CaptionCorrection.Deserialize(content.Value.Content);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="correction"/> is about its photo as captioned now (its result's image ETag is the one it was made on).</summary>
    public static async Task<bool> IsCurrentAsync(CaptionCorrection correction, ResultStore results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(correction);
        ArgumentNullException.ThrowIfNull(results);
        return (await results.GetAsync(correction.Container, correction.Image, cancellationToken).ConfigureAwait(false))?.ETag == correction.ETag;
    }

    /// <summary>Every stored correction with whether it is current (<see cref="IsCurrentAsync"/>), in blob name order.</summary>
    public async IAsyncEnumerable<CorrectionListing> ListWithCurrencyAsync(ResultStore results, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var correction in ListAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new CorrectionListing(correction, await IsCurrentAsync(correction, results, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Every stored correction, in blob name order.</summary>
    public async IAsyncEnumerable<CaptionCorrection> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in trainingContainer.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix }, cancellationToken).ConfigureAwait(false))
        {
            var content = await trainingContainer.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            if (CaptionCorrection.Deserialize(content.Value.Content) is { } correction)
            {
                yield return correction;
            }
        }
    }
}
