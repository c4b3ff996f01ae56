using Microsoft.DurableTask;

namespace Captioner.Training.Orchestration;

/// <summary>
/// The training job: <see cref="TrainingSequence"/> (dataset -> vocabulary -> feature shards, fanned out -> training in
/// chunks that resume from checkpoints, with early stopping on dev -> export with the parity check -> evaluation ->
/// publish -> promote when not worse, or forced) over activities (<see cref="DurableTrainingSteps"/>). Deterministic:
/// every decision is made from activity results and the replay-safe clock. Continues as new every few chunks so its
/// history stays bounded.
/// </summary>
public sealed class TrainingOrchestrator : TaskOrchestrator<TrainingJobState, TrainingOutcome>
{
    /// <summary>Training chunks per orchestration generation before continue-as-new.</summary>
    public const int ChunksPerGeneration = 5;

    public override async Task<TrainingOutcome> RunAsync(TaskOrchestrationContext context, TrainingJobState input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        var state = input.Version is not null ? input : input with
        {
            Version = request.Version ?? $"{request.DatasetName}-{context.CurrentUtcDateTime:yyyyMMdd-HHmmss}",
            StartedAt = context.CurrentUtcDateTime,
        };

        var steps = new DurableTrainingSteps(context, state);
        if (!await TrainingSequence.RunAsync(steps, request.Options, request.EpochsPerChunk, ChunksPerGeneration).ConfigureAwait(true))
        {
            context.ContinueAsNew(steps.State);
            return null!;
        }

        var training = steps.State.Training;
        var (promoted, reason) = steps.Promotion;
        var outcome = new TrainingOutcome
        {
            Version = steps.PublishedVersion!,
            Promoted = promoted,
            Promotion = reason,
            Metrics = steps.Evaluation!.Metrics,
            Epochs = training.LastEpoch,
            BestEpoch = training.BestEpoch,
            PhaseSeconds = steps.State.PhaseSeconds,
            History = training.History,
        };
        steps.SetStatus(TrainingJobPhase.Done, reason);
        return outcome;
    }
}
