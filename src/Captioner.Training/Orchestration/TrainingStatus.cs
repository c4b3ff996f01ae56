namespace Captioner.Training.Orchestration;

/// <summary>The custom status of a training orchestration, shown by <c>GET /api/training/{id}</c>.</summary>
public sealed record TrainingStatus
{
    public required TrainingJobPhase Phase { get; init; }

    public string? Detail { get; init; }

    public int Epoch { get; init; }

    public int MaxEpochs { get; init; }

    public double? TrainLoss { get; init; }

    public double? DevLoss { get; init; }

    public int BestEpoch { get; init; }

    public double? BestDevLoss { get; init; }

    public double? BestDevCider { get; init; }

    /// <summary>The training phase: cross-entropy, then self-critical (when the job asks for it).</summary>
    public EpochPhase? TrainingPhase { get; init; }

    /// <summary>The last epoch's greedy dev CIDEr-D.</summary>
    public double? DevCider { get; init; }

    /// <summary>The last self-critical epoch's mean CIDEr-D reward of the sampled training captions.</summary>
    public double? Reward { get; init; }

    /// <summary>Training seconds left at most (remaining epochs at the mean epoch time); export and evaluation add about a minute.</summary>
    public double? EtaSeconds { get; init; }
}
