using System.Net;
using Captioner.Core.Pipeline;
using Captioner.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Captioner.Functions;

/// <summary><c>POST /api/bulk</c> starts a bulk job (202 with its status URL); <c>GET /api/bulk/{id}</c> shows its progress.</summary>
public sealed class BulkApi(BulkLister lister, BulkProgress progress)
{
    [Function("StartBulk")]
    public async Task<HttpResponseData> Start([HttpTrigger(AuthorizationLevel.Function, "post", Route = "bulk")] HttpRequestData request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await HttpAnswers.BodyAsync(request, BulkRequestParser.MaxBodyChars, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return await HttpAnswers.Problem(request, HttpStatusCode.RequestEntityTooLarge, $"A bulk request is at most {BulkRequestParser.MaxBodyChars:N0} bytes.", cancellationToken).ConfigureAwait(false);
        }

        Core.Messages.BulkRequestMessage bulk;
        try
        {
            bulk = BulkRequestParser.Parse(body);
            await lister.StartAsync(bulk, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return await HttpAnswers.Problem(request, HttpStatusCode.BadRequest, ex.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (UnknownContainerException ex)
        {
            return await HttpAnswers.Problem(request, HttpStatusCode.NotFound, ex.Message, cancellationToken).ConfigureAwait(false);
        }

        var statusUrl = new Uri(request.Url, $"/api/bulk/{bulk.Id}").ToString();
        var accepted = await HttpAnswers.Json(request, HttpStatusCode.Accepted, BulkApiJson.Serialize(new BulkAccepted(bulk.Id, statusUrl)), cancellationToken).ConfigureAwait(false);
        accepted.Headers.Add("Location", statusUrl);
        return accepted;
    }

    [Function("GetBulk")]
    public async Task<HttpResponseData> Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = "bulk/{id}")] HttpRequestData request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ApiRequests.IsJobId(id))
        {
            return await HttpAnswers.Problem(request, HttpStatusCode.BadRequest, ApiRequests.JobIdRule, cancellationToken).ConfigureAwait(false);
        }

        return await progress.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } status
            ? await HttpAnswers.Json(request, HttpStatusCode.OK, BulkApiJson.Serialize(status), cancellationToken).ConfigureAwait(false)
            : await HttpAnswers.Problem(request, HttpStatusCode.NotFound, $"There is no bulk job '{id}'.", cancellationToken).ConfigureAwait(false);
    }
}
