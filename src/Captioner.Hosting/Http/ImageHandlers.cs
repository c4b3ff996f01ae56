using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Captioner.Core.Imaging;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Captioner.Hosting.Gallery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Captioner.Hosting.Http;

/// <summary>
/// Images through the API (storage stays private): <c>GET /api/images/{name}</c>, <c>GET /api/thumbnails/{name}</c>
/// (both <c>?container=</c>, one of <see cref="SourceContainers"/>), uploads with <c>PUT /api/images/{name}</c> (202,
/// result URL in <c>Location</c>) and <c>GET /api/results/{name}</c>. Only the raster formats the pipeline decodes are
/// taken in or served, recognised by their bytes.
/// </summary>
public sealed class ImageHandlers(
    StorageClients storage, ResultStore results, SourceContainers sources, HeavyRequests heavy, UploadSignal uploaded, IOptions<PipelineOptions> pipeline, IOptions<GalleryOptions> gallery)
{
    // Image content under a name can be replaced, so browsers check back after a minute; only the signed-in browser caches it.
    private const string ImageCaching = "private, max-age=60";

    private readonly ImagePreprocessor _thumbnailDecoder = new(new ImageLimits
    {
        MaxBytes = pipeline.Value.Limits.MaxBytes,
        MaxPixels = Math.Min(pipeline.Value.Limits.MaxPixels, gallery.Value.ThumbnailMaxPixels),
        MinSide = pipeline.Value.Limits.MinSide,
    });

    public async Task<IResult> GetImageAsync(string name, string? container, CancellationToken cancellationToken)
    {
        if (Locate(name, container, out var blob) is { } refused)
        {
            return refused;
        }

        using var slot = await heavy.EnterAsync(cancellationToken).ConfigureAwait(false);
        if (slot is null)
        {
            return HeavyRequests.Full();
        }

        var content = await DownloadAsync(blob!, null, cancellationToken).ConfigureAwait(false);
        return content is null ? NoImage(name)
            : content.Value.Bytes is not { } bytes ? TooLarge()
            : ImageFormats.ContentType(bytes) is { } type ? ApiResult.Image(bytes, type, FileName(name), ImageCaching)
            : NotShown(name);
    }

    /// <summary>A thumbnail, drawn once per image content and side and kept in the <c>thumbnails</c> container.</summary>
    public async Task<IResult> GetThumbnailAsync(string name, string? container, CancellationToken cancellationToken)
    {
        if (Locate(name, container, out var blob) is { } refused)
        {
            return refused;
        }

        var side = gallery.Value.ThumbnailSide;
        BlobProperties properties;
        try
        {
            properties = (await blob!.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return NoImage(name);
        }

        var cached = storage.Container(storage.Names.ThumbnailsContainer).GetBlobClient(ThumbnailName(blob.BlobContainerName, name, properties.ETag, side));
        try
        {
            var hit = await cached.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return ApiResult.Image(hit.Value.Content.ToArray(), Thumbnails.ContentType, FileName(name), ImageCaching);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Not drawn yet: draw it below.
        }

        using var slot = await heavy.EnterAsync(cancellationToken).ConfigureAwait(false);
        if (slot is null)
        {
            return HeavyRequests.Full();
        }

        var content = await DownloadAsync(blob, properties, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return NoImage(name);
        }

        if (content.Value.Bytes is not { } bytes || Thumbnails.Create(bytes, side, _thumbnailDecoder) is not { } thumbnail)
        {
            return NotShown(name);
        }

        // Content-addressed (image ETag and side in the name): a replaced image gets a new thumbnail, never a stale one.
        await cached.UploadAsync(new BinaryData(thumbnail), overwrite: true, cancellationToken).ConfigureAwait(false);
        return ApiResult.Image(thumbnail, Thumbnails.ContentType, FileName(name), ImageCaching);
    }

    /// <summary>Stores the body in <c>images</c> when it is an accepted image under the pipeline's size limit, with the detected content type.</summary>
    public async Task<IResult> UploadAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ImageNames.Problem(name) is { } problem)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, problem);
        }

        var maxBytes = pipeline.Value.Limits.MaxBytes;
        if (request.ContentLength > maxBytes)
        {
            return TooLarge();
        }

        using var slot = await heavy.EnterAsync(cancellationToken).ConfigureAwait(false);
        if (slot is null)
        {
            return HeavyRequests.Full();
        }

        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > maxBytes)
            {
                return TooLarge();
            }

            body.Write(buffer, 0, read);
        }

        if (body.Length == 0)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, $"'{name}' is empty.");
        }

        // The declared type is ignored: what is stored, and later served, is what the bytes are.
        if (ImageFormats.ContentType(body.GetBuffer().AsSpan(0, (int)Math.Min(body.Length, ImageFormats.SignatureLength))) is not { } contentType)
        {
            return ApiResult.Problem(StatusCodes.Status415UnsupportedMediaType, $"'{name}' is not a {ImageFormats.Accepted} image.");
        }

        body.Position = 0;
        var blob = storage.Container(storage.Names.ImagesContainer).GetBlobClient(name);
        var stored = await blob.UploadAsync(body, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken).ConfigureAwait(false);
        uploaded.Raise();
        var resultUrl = SiteAddress.Of(request, $"api/results/{Uri.EscapeDataString(name).Replace("%2F", "/", StringComparison.Ordinal)}");
        return ApiResult.Accepted(GalleryApiJson.Serialize(new UploadAccepted(name, stored.Value.ETag.ToString(), resultUrl)), resultUrl);
    }

    public async Task<IResult> GetResultAsync(string name, string? container, CancellationToken cancellationToken)
    {
        container = string.IsNullOrEmpty(container) ? storage.Names.ImagesContainer : container;
        return ImageNames.Problem(name) is { } problem ? ApiResult.Problem(StatusCodes.Status400BadRequest, problem)
            : sources.Problem(container) is { } refused ? ApiResult.Problem(StatusCodes.Status400BadRequest, refused)
            : await results.GetAsync(container, name, cancellationToken).ConfigureAwait(false) is { } result ? ApiResult.Json(GalleryApiJson.Serialize(result))
            : ApiResult.Problem(StatusCodes.Status404NotFound, $"There is no result for '{name}' yet.");
    }

    private ApiResult? Locate(string name, string? container, out BlobClient? blob)
    {
        blob = null;
        container = string.IsNullOrEmpty(container) ? storage.Names.ImagesContainer : container;
        if (ImageNames.Problem(name) is { } problem)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, problem);
        }

        if (sources.Problem(container) is { } refused)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, refused);
        }

        blob = storage.Container(container).GetBlobClient(name);
        return null;
    }

    /// <summary>The content (null bytes when over the size limit), or null when there is no such blob (or it changed since <paramref name="known"/> was read).</summary>
    private async Task<(byte[]? Bytes, ETag ETag)?> DownloadAsync(BlobClient blob, BlobProperties? known, CancellationToken cancellationToken)
    {
        try
        {
            var properties = known ?? (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            if (properties.ContentLength > pipeline.Value.Limits.MaxBytes)
            {
                return (null, properties.ETag);
            }

            var content = await blob.DownloadContentAsync(new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } }, cancellationToken).ConfigureAwait(false);
            return (content.Value.Content.ToArray(), properties.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    private static string ThumbnailName(string container, string name, ETag etag, int side) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{container}\n{name}\n{etag}\n{side}"))) + ".jpg";

    private static string FileName(string name) => name[(name.LastIndexOf('/') + 1)..];

    private static ApiResult NoImage(string name) => ApiResult.Problem(StatusCodes.Status404NotFound, $"There is no image '{name}'.");

    private static ApiResult NotShown(string name) => ApiResult.Problem(StatusCodes.Status422UnprocessableEntity, $"'{name}' is not an image that can be shown.");

    private ApiResult TooLarge() => ApiResult.Problem(StatusCodes.Status413PayloadTooLarge, $"An image is at most {pipeline.Value.Limits.MaxBytes:N0} bytes.");
}
