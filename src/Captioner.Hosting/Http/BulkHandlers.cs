using Captioner.Core.Messages;
using Captioner.Core.Models;
using Captioner.Core.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Captioner.Hosting.Http;

/// <summary><c>POST /api/bulk</c> starts a bulk job (202, status URL in <c>Location</c>); <c>GET /api/bulk/{id}</c> shows its progress.</summary>
public sealed class BulkHandlers(BulkLister lister, BulkProgress progress, SourceContainers sources, ModelRegistry models, Microsoft.Extensions.Options.IOptions<PipelineOptions> options)
{
    public async Task<IResult> StartAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await ApiRequests.ReadJsonBodyAsync(request, BulkRequestParser.MaxBodyChars, "A bulk request", cancellationToken).ConfigureAwait(false);
        if (body.Refusal is { } refusal)
        {
            return refusal;
        }

        BulkRequestMessage bulk;
        try
        {
            bulk = BulkRequestParser.Parse(body.Text, sources, models.CheckDecoding);
            await lister.StartAsync(bulk, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, ex.Message);
        }
        catch (UnknownContainerException ex)
        {
            return ApiResult.Problem(StatusCodes.Status404NotFound, ex.Message);
        }

        var statusUrl = SiteAddress.Of(request, $"api/bulk/{bulk.Id}");
        return ApiResult.Accepted(BulkApiJson.Serialize(new BulkAccepted(bulk.Id, statusUrl)), statusUrl);
    }

    public async Task<IResult> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!ApiRequests.IsJobId(id))
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, ApiRequests.JobIdRule);
        }

        if (await progress.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } status)
        {
            return ApiResult.Problem(StatusCodes.Status404NotFound, $"There is no bulk job '{id}'.");
        }

        // A job someone is watching does not wait for the next sweep to be resumed.
        if (!status.ListingComplete && status.ListingUpdatedAt < DateTimeOffset.UtcNow - options.Value.BulkStallTimeout)
        {
            await lister.ResumeStalledAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return ApiResult.Json(BulkApiJson.Serialize(status));
    }
}
