using System.Diagnostics;
using Captioner.Core.Evaluation;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Captioner.Training.Orchestration.Activities;

/// <summary>Input of <see cref="TrainChunkActivity"/>: resume after <paramref name="ResumeFromEpoch"/> (0: from scratch) and train <paramref name="Epochs"/> epochs.</summary>
public sealed record TrainChunkInput(string JobId, TrainingOptions Options, int ShardSize, int ResumeFromEpoch, int Epochs, int KeepEpoch);

/// <summary>
/// One bounded piece of training: loads the job's features and the checkpoint of
/// <see cref="TrainChunkInput.ResumeFromEpoch"/> (weights and Adam state), trains the next epochs, and
/// writes a checkpoint after each. Running it twice writes the same checkpoints, so a retry after a
/// crash is harmless. Old checkpoints other than the best are deleted.
/// </summary>
public sealed class TrainChunkActivity(TrainingWorkspace workspace, ILogger<TrainChunkActivity> logger) : TaskActivity<TrainChunkInput, IReadOnlyList<EpochMetrics>>
{
    public const string WeightsFile = "weights.bin";
    public const string OptimizerFile = "optimizer.bin";

    public override async Task<IReadOnlyList<EpochMetrics>> RunAsync(TaskActivityContext context, TrainChunkInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var options = input.Options;
        var data = await JobTrainingData.LoadAsync(workspace, input.JobId, options, input.ShardSize, CancellationToken.None).ConfigureAwait(false);
        using var trainer = data.CreateTrainer(options);
        var scratch = Path.Combine(workspace.Scratch(input.JobId), "chunk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            if (input.ResumeFromEpoch > 0)
            {
                trainer.LoadCheckpoint(await workspace.LocalCopyAsync(input.JobId, TrainingWorkspace.CheckpointBlob(input.JobId, input.ResumeFromEpoch, WeightsFile), CancellationToken.None).ConfigureAwait(false));
                trainer.LoadOptimizerState(await workspace.LocalCopyAsync(input.JobId, TrainingWorkspace.CheckpointBlob(input.JobId, input.ResumeFromEpoch, OptimizerFile), CancellationToken.None).ConfigureAwait(false));
                logger.LogInformation("Job {JobId}: resuming from the checkpoint of epoch {Epoch}", input.JobId, input.ResumeFromEpoch);
            }

            var references = data.Dataset.Dev.Select(image => image.Captions).ToList();
            var epochs = new List<EpochMetrics>();
            for (var epoch = input.ResumeFromEpoch + 1; epoch <= input.ResumeFromEpoch + input.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                var trainLoss = trainer.TrainEpoch(epoch);
                var devLoss = trainer.DevLoss();
                double? cider = options.SelectBy == "cider"
                    ? CaptionScores.Compute([.. trainer.DevGreedyTokens(options.MaxWords).Select(data.Vocabulary.Decode)], references).CiderD
                    : null;

                var weights = Path.Combine(scratch, WeightsFile);
                var optimizer = Path.Combine(scratch, OptimizerFile);
                trainer.SaveCheckpoint(weights);
                trainer.SaveOptimizerState(optimizer);

                // Weights last: a checkpoint is only used once the orchestrator has this activity's result.
                await workspace.UploadFileAsync(TrainingWorkspace.CheckpointBlob(input.JobId, epoch, OptimizerFile), optimizer, CancellationToken.None).ConfigureAwait(false);
                await workspace.UploadFileAsync(TrainingWorkspace.CheckpointBlob(input.JobId, epoch, WeightsFile), weights, CancellationToken.None).ConfigureAwait(false);
                var metrics = new EpochMetrics(epoch, Math.Round(trainLoss, 5), Math.Round(devLoss, 5), cider is { } c ? Math.Round(c, 5) : null, options.LearningRateAt(epoch), Math.Round(clock.Elapsed.TotalSeconds, 2));
                epochs.Add(metrics);
                logger.LogInformation("Job {JobId}: epoch {Epoch} train loss {TrainLoss:F4} dev loss {DevLoss:F4} in {Seconds:F1} s", input.JobId, epoch, trainLoss, devLoss, metrics.Seconds);
            }

            await PruneAsync(input, epochs[^1].Epoch).ConfigureAwait(false);
            return epochs;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Deletes checkpoints older than the one this chunk resumed from, except the best so far.</summary>
    private async Task PruneAsync(TrainChunkInput input, int lastEpoch)
    {
        foreach (var name in await workspace.ListAsync(TrainingWorkspace.CheckpointPrefix(input.JobId), CancellationToken.None).ConfigureAwait(false))
        {
            var folder = name[TrainingWorkspace.CheckpointPrefix(input.JobId).Length..].Split('/')[0];
            if (folder.StartsWith("epoch-", StringComparison.Ordinal) && int.TryParse(folder[6..], out var epoch)
                && epoch < Math.Min(input.ResumeFromEpoch, lastEpoch) && epoch != input.KeepEpoch)
            {
                await workspace.DeleteAsync(name, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
