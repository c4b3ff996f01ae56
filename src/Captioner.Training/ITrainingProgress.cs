using Captioner.Training.Orchestration;

namespace Captioner.Training;

/// <summary>Hears what a training run is doing, for progress bars and logs.</summary>
public interface ITrainingProgress
{
    /// <summary>A new phase starts (dataset, vocabulary, features, training, export, evaluation), or says more of itself.</summary>
    void Phase(TrainingJobPhase phase, string detail);

    /// <summary><paramref name="done"/> of <paramref name="total"/> units of the current phase are done.</summary>
    void Advance(int done, int total, string detail);

    /// <summary>An epoch ended.</summary>
    void Epoch(EpochReport report);
}

/// <summary>One epoch's losses, dev scores and timing; self-critical epochs also report their mean CIDEr-D reward.</summary>
public sealed record EpochReport(int Epoch, double TrainLoss, double DevLoss, double? DevCider, double? DevBleu4, double LearningRate, bool Improved, TimeSpan Elapsed)
{
    public EpochPhase Phase { get; init; } = EpochPhase.CrossEntropy;

    public double? Reward { get; init; }

    /// <summary>The greedy captions' mean reward, the self-critical baseline.</summary>
    public double? Baseline { get; init; }
}
