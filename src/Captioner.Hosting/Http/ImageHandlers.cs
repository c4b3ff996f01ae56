using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Captioner.Hosting.Gallery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Captioner.Hosting.Http;

/// <summary>
/// Images through the API (storage stays private): <c>GET /api/images/{name}</c>, <c>GET /api/thumbnails/{name}</c>,
/// uploads with <c>PUT /api/images/{name}</c> (202, result URL in <c>Location</c>) and <c>GET /api/results/{name}</c>.
/// </summary>
public sealed class ImageHandlers(StorageClients storage, ResultStore results, IOptions<PipelineOptions> pipeline, IOptions<GalleryOptions> gallery)
{
    // Image content under a name can be replaced, so browsers check back after a minute; only the signed-in browser caches it.
    private const string ImageCaching = "private, max-age=60";

    public async Task<IResult> GetImageAsync(string name, string? container, CancellationToken cancellationToken)
    {
        if (Locate(name, container, out var blob) is { } refused)
        {
            return refused;
        }

        var content = await DownloadAsync(blob!, cancellationToken).ConfigureAwait(false);
        return content is null ? NoImage(name)
            : content.Value.Bytes is null ? TooLarge()
            : ApiResult.File(content.Value.Bytes, content.Value.ContentType, ImageCaching);
    }

    public async Task<IResult> GetThumbnailAsync(string name, string? container, CancellationToken cancellationToken)
    {
        if (Locate(name, container, out var blob) is { } refused)
        {
            return refused;
        }

        var content = await DownloadAsync(blob!, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return NoImage(name);
        }

        return content.Value.Bytes is { } bytes && Thumbnails.Create(bytes, gallery.Value.ThumbnailSide, pipeline.Value.Limits) is { } thumbnail
            ? ApiResult.File(thumbnail, "image/jpeg", ImageCaching)
            : ApiResult.Problem(StatusCodes.Status422UnprocessableEntity, $"'{name}' is not an image that can be shown.");
    }

    /// <summary>Stores the body in <c>images</c> under the pipeline's size limits; the pipeline checks the rest, as for any blob.</summary>
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

        body.Position = 0;
        var contentType = request.ContentType is { Length: > 0 and <= 100 } type && type.StartsWith("image/", StringComparison.Ordinal) ? type : "application/octet-stream";
        var blob = storage.Container(storage.Names.ImagesContainer).GetBlobClient(name);
        var uploaded = await blob.UploadAsync(body, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken).ConfigureAwait(false);
        var resultUrl = SiteAddress.Of(request, $"api/results/{Uri.EscapeDataString(name).Replace("%2F", "/", StringComparison.Ordinal)}");
        return ApiResult.Accepted(GalleryApiJson.Serialize(new UploadAccepted(name, uploaded.Value.ETag.ToString(), resultUrl)), resultUrl);
    }

    public async Task<IResult> GetResultAsync(string name, CancellationToken cancellationToken) =>
        ImageNames.Problem(name) is { } problem ? ApiResult.Problem(StatusCodes.Status400BadRequest, problem)
        : await results.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } result ? ApiResult.Json(GalleryApiJson.Serialize(result))
        : ApiResult.Problem(StatusCodes.Status404NotFound, $"There is no result for '{name}' yet.");

    private ApiResult? Locate(string name, string? container, out BlobClient? blob)
    {
        blob = null;
        container = string.IsNullOrEmpty(container) ? storage.Names.ImagesContainer : container;
        if (ImageNames.Problem(name) is { } problem)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, problem);
        }

        // Images come from any container a bulk job may caption, never from the app's own results, models or training data.
        if (!BulkRequestParser.IsContainerName(container) || container == storage.Names.CaptionsContainer || container == storage.Names.ModelsContainer || container == storage.Names.TrainingContainer)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, $"Images are not served from container '{container}'.");
        }

        blob = storage.Container(container).GetBlobClient(name);
        return null;
    }

    /// <summary>The content (null bytes when over the size limit), or null when there is no such blob.</summary>
    private async Task<(byte[]? Bytes, string ContentType)?> DownloadAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            var contentType = ImageContentTypes.For(blob.Name, properties.ContentType);
            if (properties.ContentLength > pipeline.Value.Limits.MaxBytes)
            {
                return (null, contentType);
            }

            var content = await blob.DownloadContentAsync(new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } }, cancellationToken).ConfigureAwait(false);
            return (content.Value.Content.ToArray(), contentType);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    private static ApiResult NoImage(string name) => ApiResult.Problem(StatusCodes.Status404NotFound, $"There is no image '{name}'.");

    private ApiResult TooLarge() => ApiResult.Problem(StatusCodes.Status413PayloadTooLarge, $"An image is at most {pipeline.Value.Limits.MaxBytes:N0} bytes.");
}
