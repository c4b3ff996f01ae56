using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Captioner.Core.Models;
using Microsoft.AspNetCore.Http;

namespace Captioner.Hosting.Http;

/// <summary>
/// <c>GET /api/models</c>: the published versions with their manifests (dev metrics) and which one is current;
/// <c>PUT /api/models/current</c> with <c>{"version": "..."}</c> promotes or rolls back (hosts pick it up at their next model poll);
/// a version that does not load and verify as a worker would load it is refused with 422 and the pointer stays.
/// </summary>
public sealed class ModelHandlers(BlobContainerClient models, ModelStore store)
{
    private const int MaxBodyChars = 1024;

    public async Task<IResult> ListAsync(CancellationToken cancellationToken)
    {
        var current = await store.GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var versions = new JsonArray();
        await foreach (var item in models.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix: null, cancellationToken).ConfigureAwait(false))
        {
            if (item.IsPrefix && await ManifestAsync(item.Prefix.TrimEnd('/'), cancellationToken).ConfigureAwait(false) is { } manifest)
            {
                versions.Add(manifest);
            }
        }

        var answer = new JsonObject { ["current"] = current?.Version, ["versions"] = versions };
        return ApiResult.Json(answer.ToJsonString());
    }

    public async Task<IResult> SetCurrentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await ApiRequests.ReadJsonBodyAsync(request, MaxBodyChars, "A promotion", cancellationToken).ConfigureAwait(false);
        if (body.Refusal is { } refusal)
        {
            return refusal;
        }

        string? version;
        try
        {
            version = JsonNode.Parse(body.Text)?["version"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "The body must be {\"version\": \"...\"}.");
        }

        if (!ModelStore.IsValidVersion(version))
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "The body must be {\"version\": \"...\"} with 1 to 128 letters, digits, '-', '_' or '.'.");
        }

        if (await ManifestAsync(version!, cancellationToken).ConfigureAwait(false) is null)
        {
            return ApiResult.Problem(StatusCodes.Status404NotFound, $"There is no model version '{version}'.");
        }

        try
        {
            await store.PromoteAsync(version!, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelLoadException ex)
        {
            return ApiResult.Problem(StatusCodes.Status422UnprocessableEntity, $"Model version '{version}' was not made current: {ex.Message.ReplaceLineEndings(" ")}");
        }

        return ApiResult.Json(new JsonObject { ["current"] = version }.ToJsonString());
    }

    private async Task<JsonNode?> ManifestAsync(string version, CancellationToken cancellationToken)
    {
        try
        {
            var content = await models.GetBlobClient($"{version}/{ModelFiles.Manifest}").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var manifest = JsonNode.Parse(content.Value.Content.ToString());

            // The file hashes are of no use on the page.
            (manifest as JsonObject)?.Remove("files");
            return manifest;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
