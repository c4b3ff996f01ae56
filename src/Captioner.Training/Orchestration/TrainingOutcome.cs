namespace Captioner.Training.Orchestration;

/// <summary>What a finished training orchestration returns.</summary>
public sealed record TrainingOutcome
{
    public required string Version { get; init; }

    public bool Promoted { get; init; }

    /// <summary>Why the model was or was not made current.</summary>
    public required string Promotion { get; init; }

    /// <summary>Dev scores of the new model (greedy.* and beam3.* BLEU-1..4 and CIDEr-D, devLoss, parity).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public int Epochs { get; init; }

    public int BestEpoch { get; init; }

    /// <summary>Wall time of each phase, in seconds.</summary>
    public IReadOnlyDictionary<string, double> PhaseSeconds { get; init; } = new Dictionary<string, double>();

    public IReadOnlyList<EpochMetrics> History { get; init; } = [];
}
