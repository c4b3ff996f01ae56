namespace Captioner.Training.Orchestration;

/// <summary>
/// One trained epoch as the chunked trainer reports it. <see cref="DevCider"/> is the greedy dev CIDEr-D
/// (measured every epoch); <see cref="Reward"/> and <see cref="Baseline"/> are the self-critical phase's
/// mean sampled and greedy CIDEr-D rewards on the training images (that phase's train loss is the
/// negated reward advantage, so <see cref="TrainLoss"/> holds the cross-entropy only).
/// </summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double DevLoss, double? DevCider, double LearningRate, double Seconds)
{
    public EpochPhase Phase { get; init; } = EpochPhase.CrossEntropy;

    public double? DevBleu4 { get; init; }

    public double? Reward { get; init; }

    public double? Baseline { get; init; }
}
