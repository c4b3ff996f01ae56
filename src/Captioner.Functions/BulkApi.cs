using Captioner.Hosting.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary><c>POST /api/bulk</c> starts a bulk job; <c>GET /api/bulk/{id}</c> shows its progress (the shared <see cref="BulkHandlers"/>).</summary>
public sealed class BulkApi(BulkHandlers bulk)
{
    [Function("StartBulk")]
    public Task<IResult> Start([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/bulk")] HttpRequest request, CancellationToken cancellationToken) =>
        bulk.StartAsync(request, cancellationToken);

    [Function("GetBulk")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/bulk/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        bulk.GetAsync(id, cancellationToken);
}
