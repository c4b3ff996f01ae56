using Captioner.Hosting.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary><c>GET /api/models</c> and <c>PUT /api/models/current</c> (the shared <see cref="ModelHandlers"/>).</summary>
public sealed class ModelsApi(ModelHandlers models)
{
    [Function("ListModels")]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/models")] HttpRequest request, CancellationToken cancellationToken) =>
        models.ListAsync(cancellationToken);

    [Function("SetCurrentModel")]
    public Task<IResult> SetCurrent([HttpTrigger(AuthorizationLevel.Function, "put", Route = "api/models/current")] HttpRequest request, CancellationToken cancellationToken) =>
        models.SetCurrentAsync(request, cancellationToken);
}
