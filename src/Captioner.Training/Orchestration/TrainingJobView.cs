using System.Text.Json.Serialization;
using Microsoft.DurableTask.Client;

namespace Captioner.Training.Orchestration;

/// <summary>A training job as <c>GET /api/training/{id}</c> shows it (runtime status: Pending, Running, Completed, Failed, Terminated).</summary>
public sealed record TrainingJobView(string Id, [property: JsonConverter(typeof(JsonStringEnumConverter<OrchestrationRuntimeStatus>))] OrchestrationRuntimeStatus RuntimeStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, TrainingStatus? Status, TrainingOutcome? Output, string? Error)
{
    [JsonIgnore]
    public bool IsFinished => RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}
