using Captioner.Hosting.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Captioner.Functions;

/// <summary><c>POST /api/training</c>, <c>GET /api/training/{id}</c>, <c>POST /api/training/{id}/terminate</c> (the shared <see cref="TrainingHandlers"/>).</summary>
public static class TrainingApi
{
    [Function("StartTraining")]
    public static Task<IResult> Start(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/training")] HttpRequest request, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        TrainingHandlers.StartAsync(request, client, cancellationToken);

    [Function("GetTraining")]
    public static Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/training/{id}")] HttpRequest request, string id, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        TrainingHandlers.GetAsync(id, client, cancellationToken);

    [Function("TerminateTraining")]
    public static Task<IResult> Terminate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/training/{id}/terminate")] HttpRequest request, string id, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        TrainingHandlers.TerminateAsync(id, client, cancellationToken);
}
