using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Captioner.Training.Orchestration;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Api = Captioner.Hosting.Training.TrainingApi;

namespace Captioner.Hosting.Http;

/// <summary>
/// <c>POST /api/training</c> starts a job (202, status URL in <c>Location</c>), <c>GET /api/training/{id}</c> shows it,
/// <c>POST /api/training/{id}/terminate</c> stops it. The Durable client is passed in: the Functions app gets it from its binding.
/// </summary>
public static class TrainingHandlers
{
    public static async Task<IResult> StartAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await ApiRequests.ReadJsonBodyAsync(request, ApiRequests.MaxTrainingBodyChars, "A training request", cancellationToken).ConfigureAwait(false);
        if (body.Refusal is { } refusal)
        {
            return refusal;
        }

        TrainingJobRequest training;
        try
        {
            training = Api.Parse(body.Text, request.HttpContext.RequestServices.GetRequiredService<StorageClients>().Names.TrainingContainer);
        }
        catch (ArgumentException ex)
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, ex.Message);
        }

        var limit = request.HttpContext.RequestServices.GetRequiredService<IOptions<PipelineOptions>>().Value.MaxRunningTrainingJobs;
        if (await Api.RunningJobsAsync(client, cancellationToken).ConfigureAwait(false) is var running && running.Count >= limit)
        {
            return ApiResult.Problem(StatusCodes.Status409Conflict, $"{running.Count} training job(s) already running ({string.Join(", ", running.Take(3))}); at most {limit} at once (setting Captioner:MaxRunningTrainingJobs).");
        }

        var accepted = await Api.StartAsync(client, training, SiteAddress.Root(request), cancellationToken).ConfigureAwait(false);
        return ApiResult.Accepted(Api.Serialize(accepted), accepted.StatusUri);
    }

    public static async Task<IResult> GetAsync(string id, DurableTaskClient client, CancellationToken cancellationToken) =>
        !ApiRequests.IsJobId(id) ? ApiResult.Problem(StatusCodes.Status400BadRequest, ApiRequests.JobIdRule)
        : await Api.GetAsync(client, id, cancellationToken).ConfigureAwait(false) is { } job ? ApiResult.Json(Api.Serialize(job))
        : NoSuchJob(id);

    public static async Task<IResult> TerminateAsync(string id, DurableTaskClient client, CancellationToken cancellationToken) =>
        !ApiRequests.IsJobId(id) ? ApiResult.Problem(StatusCodes.Status400BadRequest, ApiRequests.JobIdRule)
        : await Api.TerminateAsync(client, id, cancellationToken).ConfigureAwait(false) ? ApiResult.Empty(StatusCodes.Status202Accepted)
        : NoSuchJob(id);

    private static ApiResult NoSuchJob(string id) => ApiResult.Problem(StatusCodes.Status404NotFound, $"There is no training job '{id}'.");
}
