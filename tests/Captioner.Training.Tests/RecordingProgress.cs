using Captioner.Training.Orchestration;

namespace Captioner.Training.Tests;

/// <summary>Keeps what a local training run reports (its phase lines and epochs) for a test to check.</summary>
internal sealed class RecordingProgress(Action<EpochReport>? onEpoch = null) : ITrainingProgress
{
    public List<string> Details { get; } = [];

    public List<EpochReport> Epochs { get; } = [];

    public void Phase(TrainingJobPhase phase, string detail) => Details.Add($"{Core.KebabCase.Of(phase)}: {detail}");

    public void Advance(int done, int total, string detail)
    {
    }

    public void Epoch(EpochReport report)
    {
        Epochs.Add(report);
        onEpoch?.Invoke(report);
    }
}
