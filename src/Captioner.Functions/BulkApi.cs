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
        Core.Messages.BulkRequestMessage bulk;
        try
        {
            bulk = BulkRequestParser.Parse(await request.ReadAsStringAsync().ConfigureAwait(false) ?? string.Empty);
        }
        catch (ArgumentException ex)
        {
            var bad = request.CreateResponse(HttpStatusCode.BadRequest);
            await bad.WriteStringAsync(ex.Message, cancellationToken).ConfigureAwait(false);
            return bad;
        }

        await lister.StartAsync(bulk, cancellationToken).ConfigureAwait(false);
        var statusUrl = new Uri(request.Url, $"/api/bulk/{bulk.Id}").ToString();
        var accepted = request.CreateResponse(HttpStatusCode.Accepted);
        accepted.Headers.Add("Location", statusUrl);
        accepted.Headers.Add("Content-Type", "application/json");
        await accepted.WriteStringAsync(BulkApiJson.Serialize(new BulkAccepted(bulk.Id, statusUrl)), cancellationToken).ConfigureAwait(false);
        return accepted;
    }

    [Function("GetBulk")]
    public async Task<HttpResponseData> Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = "bulk/{id}")] HttpRequestData request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var status = await progress.GetAsync(id, cancellationToken).ConfigureAwait(false);
        var response = request.CreateResponse(status is null ? HttpStatusCode.NotFound : HttpStatusCode.OK);
        if (status is not null)
        {
            response.Headers.Add("Content-Type", "application/json");
            await response.WriteStringAsync(BulkApiJson.Serialize(status), cancellationToken).ConfigureAwait(false);
        }

        return response;
    }
}
