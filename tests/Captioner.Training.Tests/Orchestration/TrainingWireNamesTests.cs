using System.Text.Json;
using Captioner.Training.Orchestration;
using Microsoft.DurableTask.Client;

namespace Captioner.Training.Tests.Orchestration;

/// <summary>Phases and statuses are enums in the code and the same words as before on the wire (the page and older jobs read them).</summary>
public class TrainingWireNamesTests
{
    [Fact]
    public void A_jobs_status_names_its_phases_in_lower_case_words()
    {
        var json = JsonSerializer.Serialize(new TrainingStatus { Phase = TrainingJobPhase.Done, TrainingPhase = EpochPhase.SelfCritical });

        Assert.Contains("\"Phase\":\"done\"", json, StringComparison.Ordinal);
        Assert.Contains("\"TrainingPhase\":\"self-critical\"", json, StringComparison.Ordinal);
        Assert.Equal(EpochPhase.CrossEntropy, JsonSerializer.Deserialize<EpochMetrics>("{\"Epoch\":1,\"TrainLoss\":1,\"DevLoss\":1,\"LearningRate\":0.1,\"Seconds\":1,\"Phase\":\"cross-entropy\"}")!.Phase);
    }

    [Fact]
    public void A_phase_written_as_a_number_is_refused() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TrainingStatus>("{\"Phase\":3}"));

    [Fact]
    public void A_jobs_runtime_status_is_written_by_its_name()
    {
        var view = new TrainingJobView("training-1", OrchestrationRuntimeStatus.Completed, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, null, null);

        Assert.Contains("\"RuntimeStatus\":\"Completed\"", JsonSerializer.Serialize(view), StringComparison.Ordinal);
        Assert.True(view.IsFinished);
    }
}
