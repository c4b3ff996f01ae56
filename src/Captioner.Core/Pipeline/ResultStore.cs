using Captioner.Core.Storage;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Captioner.Core.Resilience;
using Captioner.Core.Telemetry;
using Polly;

namespace Captioner.Core.Pipeline;

/// <summary>
/// Writes and reads results in the <c>captions</c> container. The first result for an image's
/// content wins: a retried or duplicated message finds it and writes nothing, so an image never gets
/// a second, different result. A result for older content, or a forced re-caption, is replaced.
/// </summary>
public sealed class ResultStore
{
    private readonly BlobContainerClient _container;
    private readonly ResultNames _names;

    // Re-runs a write that lost its race with another writer (read first, then replace exactly what was read).
    private readonly ResiliencePipeline _resilience = StorageResilience.Create();

    /// <param name="container">The <c>captions</c> container.</param>
    /// <param name="uploadsContainer">The container whose results keep the plain <c>{name}.json</c> names (<see cref="ResultNames"/>).</param>
    public ResultStore(BlobContainerClient container, string uploadsContainer = StorageNames.Images)
    {
        _container = container;
        _names = new ResultNames(uploadsContainer);
    }

    /// <summary>Metadata key of a result blob holding the ETag of the image content it is for (quotes trimmed), so a listing tells which images are captioned.</summary>
    public const string ImageETagMetadata = "imageetag";

    public ResultNames Names => _names;

    /// <summary>The <c>captions</c> container.</summary>
    public BlobContainerClient Container => _container;

    /// <summary>The stored result of <paramref name="image"/> in <paramref name="sourceContainer"/>, or null.</summary>
    public async Task<CaptionResult?> GetAsync(string sourceContainer, string image, CancellationToken cancellationToken = default) =>
        (await GetWithETagAsync(sourceContainer, image, cancellationToken).ConfigureAwait(false)).Result;

    /// <summary>
    /// Stores <paramref name="result"/> unless a result for the same image content exists (any status,
    /// any model) and <paramref name="replace"/> is false. Returns whether it was written.
    /// </summary>
    public async Task<bool> WriteAsync(CaptionResult result, bool replace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var blob = _container.GetBlobClient(_names.For(result.Container, result.Image));
        var json = new BinaryData(JsonSerializer.SerializeToUtf8Bytes(result, ResultJson.Default.CaptionResult));
        var metadata = result.ETag is { } imageETag ? new Dictionary<string, string> { [ImageETagMetadata] = imageETag.Trim('"') } : null;
        var written = await _resilience.ExecuteAsync(async token =>
        {
            // The common case is the first result for an image: create it without reading first. A forced
            // re-caption expects a result to be there, so it reads first instead.
            if (!replace && await TryUploadAsync(blob, json, metadata, new BlobRequestConditions { IfNoneMatch = ETag.All }, token).ConfigureAwait(false))
            {
                return true;
            }

            var (existing, etag) = await GetWithETagAsync(result.Container, result.Image, token).ConfigureAwait(false);
            if (existing is not null && existing.ETag == result.ETag && !replace)
            {
                return false;
            }

            // Replace exactly what was read (or create, if nothing was): a concurrent writer makes this fail.
            var conditions = existing is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = etag };
            if (await TryUploadAsync(blob, json, metadata, conditions, token).ConfigureAwait(false))
            {
                return true;
            }

            var (winner, _) = await GetWithETagAsync(result.Container, result.Image, token).ConfigureAwait(false);
            return winner is not null && winner.ETag == result.ETag && !replace
                ? false
                : throw new ConcurrentResultException($"The result of {result.Image} changed while it was being written.");
        }, cancellationToken).ConfigureAwait(false);
        if (written)
        {
            CaptionerMetrics.RecordResult(result.Status);
            if (result.UnsureBecause is { } because)
            {
                CaptionerMetrics.RecordUnsureResult(because);
            }
        }

        return written;
    }

    /// <summary>Uploads under <paramref name="conditions"/>; false when they do not hold.</summary>
    private static async Task<bool> TryUploadAsync(BlobClient blob, BinaryData json, IDictionary<string, string>? metadata, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(json, new BlobUploadOptions
            {
                Conditions = conditions,
                Metadata = metadata,
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    private async Task<(CaptionResult? Result, ETag ETag)> GetWithETagAsync(string sourceContainer, string image, CancellationToken cancellationToken)
    {
        try
        {
            var content = await _container.GetBlobClient(_names.For(sourceContainer, image)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return (JsonSerializer.Deserialize(content.Value.Content.ToMemory().Span, ResultJson.Default.CaptionResult), content.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (null, default);
        }
    }
}

/// <summary>Another writer changed a result between read and write; the write is retried by the caller's message retry.</summary>
public sealed class ConcurrentResultException : Exception
{
    public ConcurrentResultException()
    {
    }

    public ConcurrentResultException(string message)
        : base(message)
    {
    }

    public ConcurrentResultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
