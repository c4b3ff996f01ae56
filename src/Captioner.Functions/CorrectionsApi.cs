using Captioner.Hosting.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary>People's corrections of captions (the shared <see cref="CorrectionHandlers"/>): the page's review queue writes them, training reads them.</summary>
public sealed class CorrectionsApi(CorrectionHandlers corrections)
{
    [Function("ListCorrections")]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/corrections")] HttpRequest request, CancellationToken cancellationToken) =>
        corrections.ListAsync(cancellationToken);

    [Function("GetCorrection")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/corrections/{*name}")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        corrections.GetAsync(name, request?.Query["container"], cancellationToken);

    [Function("PutCorrection")]
    public Task<IResult> Put([HttpTrigger(AuthorizationLevel.Function, "put", Route = "api/corrections/{*name}")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        corrections.PutAsync(request, name, cancellationToken);
}
