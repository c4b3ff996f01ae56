using System.Text.Json;
using Captioner.Training.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Captioner.Hosting.Training;

/// <summary>
/// The training HTTP API, shared by the Functions app and the local host: <c>POST /api/training</c>
/// starts a job (202 with status and terminate URLs), <c>GET /api/training/{id}</c> shows it,
/// <c>POST /api/training/{id}/terminate</c> stops it.
/// </summary>
public static class TrainingApi
{
    /// <summary>Web JSON (camelCase, case-insensitive) for requests and responses.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>Reads a request body; a bad one is an <see cref="ArgumentException"/> with the reason.</summary>
    public static TrainingJobRequest Parse(string body, string trainingContainer)
    {
        TrainingJobRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<TrainingJobRequest>(body, Json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The body is not valid JSON: {ex.Message}", ex);
        }

        if (request is null)
        {
            throw new ArgumentException("The body must be a JSON object: {\"imagesPrefix\": \"...\", \"captions\": \"...\"}.");
        }

        return request.Validate(trainingContainer) is { } problem ? throw new ArgumentException(problem) : request;
    }

    /// <summary>Ids of the training jobs that are pending or running.</summary>
    public static async Task<IReadOnlyList<string>> RunningJobsAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var query = new OrchestrationQuery { InstanceIdPrefix = JobIdPrefix, Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running] };
        var running = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            running.Add(instance.InstanceId);
        }

        return running;
    }

    private const string JobIdPrefix = "train-";

    /// <summary>Schedules the orchestration; returns the new job and its URLs under <paramref name="baseUri"/> (the site root).</summary>
    public static async Task<TrainingAccepted> StartAsync(DurableTaskClient client, TrainingJobRequest request, Uri baseUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var id = $"{JobIdPrefix}{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(TrainingOrchestrator), new TrainingJobState { Request = request }, new StartOrchestrationOptions(id), cancellationToken).ConfigureAwait(false);
        return Accepted(id, baseUri);
    }

    public static TrainingAccepted Accepted(string id, Uri baseUri) =>
        new(id, new Uri(baseUri, $"/api/training/{id}").ToString(), new Uri(baseUri, $"/api/training/{id}/terminate").ToString());

    /// <summary>The job's state, or null when there is no such job.</summary>
    public static async Task<TrainingJobView?> GetAsync(DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return null;
        }

        var status = instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<TrainingStatus>();

        // The Azure Storage back end behind the local sidecar does not return failure details: the
        // orchestrator also records the failure in its custom status.
        var error = instance.RuntimeStatus != OrchestrationRuntimeStatus.Failed ? null
            : instance.FailureDetails?.ErrorMessage ?? (status?.Phase == TrainingJobPhase.Failed ? status.Detail : instance.SerializedOutput);
        return new TrainingJobView(
            instance.InstanceId,
            instance.RuntimeStatus,
            instance.CreatedAt,
            instance.LastUpdatedAt,
            status,
            instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<TrainingOutcome>() : null,
            error);
    }

    /// <summary>Terminates a running job; false when there is no such job.</summary>
    public static async Task<bool> TerminateAsync(DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.GetInstanceAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await client.TerminateInstanceAsync(id, "terminated by request", cancellationToken).ConfigureAwait(false);
        return true;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);
}
