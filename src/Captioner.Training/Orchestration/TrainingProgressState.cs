namespace Captioner.Training.Orchestration;

/// <summary>
/// Where training stands: every epoch's metrics, the best epoch and whether to stop. Pure, so the
/// orchestrator's decisions replay identically; the same rule as local training (<see cref="TrainingRun"/>).
/// </summary>
public sealed record TrainingProgressState
{
    public IReadOnlyList<EpochMetrics> History { get; init; } = [];

    /// <summary>The epoch whose checkpoint is kept (0 before any epoch).</summary>
    public int BestEpoch { get; init; }

    /// <summary>Best selection score so far (dev loss, or negated dev CIDEr-D); lower is better.</summary>
    public double? BestScore { get; init; }

    public int LastEpoch => History.Count == 0 ? 0 : History[^1].Epoch;

    public EpochMetrics? Best => History.FirstOrDefault(epoch => epoch.Epoch == BestEpoch);

    /// <summary>True when the epoch limit is reached or <see cref="TrainingOptions.Patience"/> epochs passed without improvement.</summary>
    public bool IsFinished(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return LastEpoch >= options.MaxEpochs || (LastEpoch > 0 && LastEpoch - BestEpoch >= options.Patience);
    }

    /// <summary>The state after <paramref name="epochs"/> (in order, following <see cref="LastEpoch"/>).</summary>
    public TrainingProgressState Apply(IEnumerable<EpochMetrics> epochs, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(options);
        var state = this;
        foreach (var epoch in epochs)
        {
            if (epoch.Epoch != state.LastEpoch + 1)
            {
                throw new InvalidOperationException($"Epoch {epoch.Epoch} does not follow epoch {state.LastEpoch}.");
            }

            var score = options.SelectBy == "cider" ? -(epoch.DevCider ?? 0) : epoch.DevLoss;
            var improved = state.BestScore is not { } best || score < best;
            state = state with
            {
                History = [.. state.History, epoch],
                BestEpoch = improved ? epoch.Epoch : state.BestEpoch,
                BestScore = improved ? score : state.BestScore,
            };
        }

        return state;
    }

    /// <summary>Training seconds left at most: the epochs up to the limit at the mean epoch time so far (early stopping may end sooner).</summary>
    public double? MaxSecondsLeft(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (History.Count == 0)
        {
            return null;
        }

        var remaining = Math.Max(0, options.MaxEpochs - LastEpoch);
        return Math.Round(History.Average(epoch => epoch.Seconds) * remaining, 0);
    }
}
