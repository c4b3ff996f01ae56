using Captioner.Hosting.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary>The page's gallery and uploads: results, images, thumbnails (the shared <see cref="GalleryHandlers"/> and <see cref="ImageHandlers"/>).</summary>
public sealed class GalleryApi(GalleryHandlers gallery, ImageHandlers images)
{
    [Function("ListResults")]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/results")] HttpRequest request, CancellationToken cancellationToken) =>
        gallery.ListAsync(request, cancellationToken);

    [Function("GetResult")]
    public Task<IResult> Result([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/results/{*name}")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        images.GetResultAsync(name, request?.Query["container"], cancellationToken);

    [Function("GetImage")]
    public Task<IResult> Image([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/images/{*name}")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        images.GetImageAsync(name, request?.Query["container"], cancellationToken);

    [Function("UploadImage")]
    public Task<IResult> Upload([HttpTrigger(AuthorizationLevel.Function, "put", Route = "api/images/{*name}")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        images.UploadAsync(request, name, cancellationToken);

    [Function("GetThumbnail")]
    public Task<IResult> Thumbnail([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/thumbnails/{*name}")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        images.GetThumbnailAsync(name, request?.Query["container"], cancellationToken);
}
