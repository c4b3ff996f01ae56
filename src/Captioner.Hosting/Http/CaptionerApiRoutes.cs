using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;

namespace Captioner.Hosting.Http;

/// <summary>
/// The routes of the HTTP surface, for a host that maps them itself (the local host). The Functions app declares
/// the same routes on its HTTP triggers and calls the same handlers; <see cref="All"/> is the list both follow.
/// </summary>
public static class CaptionerApiRoutes
{
    /// <summary>Method and route template of every endpoint, page included.</summary>
    public static IReadOnlyList<(string Method, string Route)> All { get; } =
    [
        ("GET", ""), ("GET", "page/{file}"),
        ("POST", "api/bulk"), ("GET", "api/bulk/{id}"),
        ("POST", "api/training"), ("GET", "api/training/{id}"), ("POST", "api/training/{id}/terminate"),
        ("GET", "api/results"), ("GET", "api/results/{*name}"),
        ("GET", "api/images/{*name}"), ("PUT", "api/images/{*name}"), ("GET", "api/thumbnails/{*name}"),
        ("GET", "api/models"), ("PUT", "api/models/current"),
        ("GET", "api/corrections"), ("GET", "api/corrections/{*name}"), ("PUT", "api/corrections/{*name}"),
    ];

    public static IEndpointRouteBuilder MapCaptionerApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpRequest request) => PageHandlers.Index(request));
        endpoints.MapGet("/page/{file}", (HttpRequest request, string file) => PageHandlers.Asset(request, file));
        endpoints.MapPost("/api/bulk", (HttpRequest request, BulkHandlers bulk, CancellationToken token) => bulk.StartAsync(request, token));
        endpoints.MapGet("/api/bulk/{id}", (string id, BulkHandlers bulk, CancellationToken token) => bulk.GetAsync(id, token));
        endpoints.MapPost("/api/training", (HttpRequest request, DurableTaskClient client, CancellationToken token) => TrainingHandlers.StartAsync(request, client, token));
        endpoints.MapGet("/api/training/{id}", (string id, DurableTaskClient client, CancellationToken token) => TrainingHandlers.GetAsync(id, client, token));
        endpoints.MapPost("/api/training/{id}/terminate", (string id, DurableTaskClient client, CancellationToken token) => TrainingHandlers.TerminateAsync(id, client, token));
        endpoints.MapGet("/api/results", (HttpRequest request, GalleryHandlers gallery, CancellationToken token) => gallery.ListAsync(request, token));
        endpoints.MapGet("/api/results/{*name}", (string name, string? container, ImageHandlers images, CancellationToken token) => images.GetResultAsync(name, container, token));
        endpoints.MapGet("/api/images/{*name}", (string name, string? container, ImageHandlers images, CancellationToken token) => images.GetImageAsync(name, container, token));
        endpoints.MapPut("/api/images/{*name}", (HttpRequest request, string name, ImageHandlers images, CancellationToken token) => images.UploadAsync(request, name, token));
        endpoints.MapGet("/api/thumbnails/{*name}", (string name, string? container, ImageHandlers images, CancellationToken token) => images.GetThumbnailAsync(name, container, token));
        endpoints.MapGet("/api/models", (ModelHandlers models, CancellationToken token) => models.ListAsync(token));
        endpoints.MapPut("/api/models/current", (HttpRequest request, ModelHandlers models, CancellationToken token) => models.SetCurrentAsync(request, token));
        endpoints.MapGet("/api/corrections", (CorrectionHandlers corrections, CancellationToken token) => corrections.ListAsync(token));
        endpoints.MapGet("/api/corrections/{*name}", (string name, string? container, CorrectionHandlers corrections, CancellationToken token) => corrections.GetAsync(name, container, token));
        endpoints.MapPut("/api/corrections/{*name}", (HttpRequest request, string name, CorrectionHandlers corrections, CancellationToken token) => corrections.PutAsync(request, name, token));
        return endpoints;
    }
}
