using System.Net;
using Captioner.Training.Orchestration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Api = Captioner.Hosting.Training.TrainingApi;

namespace Captioner.Functions;

/// <summary><c>POST /api/training</c> starts a training job (202 with status and terminate URLs); <c>GET /api/training/{id}</c> shows it; <c>POST /api/training/{id}/terminate</c> stops it.</summary>
public static class TrainingApi
{
    [Function("StartTraining")]
    public static async Task<HttpResponseData> Start(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "training")] HttpRequestData request, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        TrainingJobRequest training;
        try
        {
            training = Api.Parse(await request.ReadAsStringAsync().ConfigureAwait(false) ?? string.Empty);
        }
        catch (ArgumentException ex)
        {
            return await Respond(request, HttpStatusCode.BadRequest, ex.Message, "text/plain", cancellationToken).ConfigureAwait(false);
        }

        var accepted = await Api.StartAsync(client, training, request.Url, cancellationToken).ConfigureAwait(false);
        var response = await Respond(request, HttpStatusCode.Accepted, Api.Serialize(accepted), "application/json", cancellationToken).ConfigureAwait(false);
        response.Headers.Add("Location", accepted.StatusUri);
        return response;
    }

    [Function("GetTraining")]
    public static async Task<HttpResponseData> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "training/{id}")] HttpRequestData request, string id, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await Api.GetAsync(client, id, cancellationToken).ConfigureAwait(false) is { } job
            ? await Respond(request, HttpStatusCode.OK, Api.Serialize(job), "application/json", cancellationToken).ConfigureAwait(false)
            : request.CreateResponse(HttpStatusCode.NotFound);
    }

    [Function("TerminateTraining")]
    public static async Task<HttpResponseData> Terminate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "training/{id}/terminate")] HttpRequestData request, string id, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.CreateResponse(await Api.TerminateAsync(client, id, cancellationToken).ConfigureAwait(false) ? HttpStatusCode.Accepted : HttpStatusCode.NotFound);
    }

    private static async Task<HttpResponseData> Respond(HttpRequestData request, HttpStatusCode status, string body, string contentType, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", contentType);
        await response.WriteStringAsync(body, cancellationToken).ConfigureAwait(false);
        return response;
    }
}
