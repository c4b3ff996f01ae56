using System.Net;
using Captioner.Hosting;
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
        if (await HttpAnswers.BodyAsync(request, ApiRequests.MaxTrainingBodyChars, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return await HttpAnswers.Problem(request, HttpStatusCode.RequestEntityTooLarge, $"A training request is at most {ApiRequests.MaxTrainingBodyChars:N0} bytes.", cancellationToken).ConfigureAwait(false);
        }

        TrainingJobRequest training;
        try
        {
            training = Api.Parse(body);
        }
        catch (ArgumentException ex)
        {
            return await HttpAnswers.Problem(request, HttpStatusCode.BadRequest, ex.Message, cancellationToken).ConfigureAwait(false);
        }

        var accepted = await Api.StartAsync(client, training, request.Url, cancellationToken).ConfigureAwait(false);
        var response = await HttpAnswers.Json(request, HttpStatusCode.Accepted, Api.Serialize(accepted), cancellationToken).ConfigureAwait(false);
        response.Headers.Add("Location", accepted.StatusUri);
        return response;
    }

    [Function("GetTraining")]
    public static async Task<HttpResponseData> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "training/{id}")] HttpRequestData request, string id, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ApiRequests.IsJobId(id))
        {
            return await HttpAnswers.Problem(request, HttpStatusCode.BadRequest, ApiRequests.JobIdRule, cancellationToken).ConfigureAwait(false);
        }

        return await Api.GetAsync(client, id, cancellationToken).ConfigureAwait(false) is { } job
            ? await HttpAnswers.Json(request, HttpStatusCode.OK, Api.Serialize(job), cancellationToken).ConfigureAwait(false)
            : await HttpAnswers.Problem(request, HttpStatusCode.NotFound, $"There is no training job '{id}'.", cancellationToken).ConfigureAwait(false);
    }

    [Function("TerminateTraining")]
    public static async Task<HttpResponseData> Terminate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "training/{id}/terminate")] HttpRequestData request, string id, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ApiRequests.IsJobId(id))
        {
            return await HttpAnswers.Problem(request, HttpStatusCode.BadRequest, ApiRequests.JobIdRule, cancellationToken).ConfigureAwait(false);
        }

        return await Api.TerminateAsync(client, id, cancellationToken).ConfigureAwait(false)
            ? request.CreateResponse(HttpStatusCode.Accepted)
            : await HttpAnswers.Problem(request, HttpStatusCode.NotFound, $"There is no training job '{id}'.", cancellationToken).ConfigureAwait(false);
    }
}
