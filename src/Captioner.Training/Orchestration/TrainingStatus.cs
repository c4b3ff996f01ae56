namespace Captioner.Training.Orchestration;

/// <summary>The custom status of a training orchestration, shown by <c>GET /api/training/{id}</c>.</summary>
public sealed record TrainingStatus
{
    /// <summary>dataset, vocabulary, features, training, export, evaluation, publish, promote, done.</summary>
    public required string Phase { get; init; }

    public string? Detail { get; init; }

    public int Epoch { get; init; }

    public int MaxEpochs { get; init; }

    public double? TrainLoss { get; init; }

    public double? DevLoss { get; init; }

    public int BestEpoch { get; init; }

    public double? BestDevLoss { get; init; }

    public double? BestDevCider { get; init; }

    /// <summary>Training seconds left at most (remaining epochs at the mean epoch time); export and evaluation add about a minute.</summary>
    public double? EtaSeconds { get; init; }
}
