namespace Captioner.Training;

/// <summary>
/// The one training sequence, for the local run (<see cref="TrainingRun"/>) and the durable job
/// (<see cref="Orchestration.TrainingOrchestrator"/>) alike: dataset -> vocabulary -> features -> training in chunks until
/// the progress says it is done (cross-entropy with early stopping, then self-critical epochs) -> export -> evaluation ->
/// publish. Deterministic given the steps' results, as an orchestration must be; awaits keep their context for the same
/// reason.
/// </summary>
public static class TrainingSequence
{
    /// <summary>
    /// Runs the steps in order. With <paramref name="maxChunks"/> it returns false after that many training chunks when
    /// more remain (the job continues as new with its progress); otherwise it runs to the end and returns true.
    /// </summary>
    public static async Task<bool> RunAsync(ITrainingSteps steps, Core.Training.TrainingOptions options, int epochsPerChunk, int? maxChunks = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(options);
        if (!steps.HasData)
        {
            await steps.PrepareDatasetAsync().ConfigureAwait(true);
            await steps.BuildVocabularyAsync().ConfigureAwait(true);
            await steps.ExtractFeaturesAsync().ConfigureAwait(true);
        }

        for (var chunk = 0; steps.Progress.NextChunk(options, epochsPerChunk) is { } plan; chunk++)
        {
            if (chunk == maxChunks)
            {
                return false;
            }

            await steps.TrainChunkAsync(plan).ConfigureAwait(true);
        }

        await steps.ExportAsync().ConfigureAwait(true);
        await steps.EvaluateAsync().ConfigureAwait(true);
        await steps.PublishAsync().ConfigureAwait(true);
        return true;
    }
}
