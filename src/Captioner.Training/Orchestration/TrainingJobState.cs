namespace Captioner.Training.Orchestration;

/// <summary>
/// The orchestrator's input, carried across continue-as-new: the request and what is done so far, so
/// the history of each generation stays small however many epochs run.
/// </summary>
public sealed record TrainingJobState
{
    public required TrainingJobRequest Request { get; init; }

    /// <summary>The version to publish, fixed at the start.</summary>
    public string? Version { get; init; }

    public DateTime StartedAt { get; init; }

    public DatasetSummary? Dataset { get; init; }

    public TrainingProgressState Training { get; init; } = new();

    /// <summary>Wall seconds per phase so far.</summary>
    public IReadOnlyDictionary<string, double> PhaseSeconds { get; init; } = new Dictionary<string, double>();

    public TrainingJobState WithPhaseTime(string phase, TimeSpan elapsed) => this with
    {
        PhaseSeconds = new Dictionary<string, double>(PhaseSeconds) { [phase] = Math.Round(PhaseSeconds.GetValueOrDefault(phase) + elapsed.TotalSeconds, 1) },
    };
}
