using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Captioner.Core.Training;

namespace Captioner.Training.Orchestration.Activities;

/// <summary>Input of <see cref="TrainChunkActivity"/>: the job and the plan its progress made (<see cref="TrainingProgressState.NextChunk"/>).</summary>
public sealed record TrainChunkInput(string JobId, TrainingOptions Options, int ShardSize, TrainingChunkPlan Plan);

/// <summary>
/// One bounded piece of training: loads the job's features and runs the plan through the one training
/// loop (<see cref="TrainingChunk"/>) with checkpoints in the job's blobs.
/// </summary>
public sealed class TrainChunkActivity(TrainingWorkspace workspace, ILogger<TrainChunkActivity> logger) : TaskActivity<TrainChunkInput, IReadOnlyList<EpochMetrics>>
{
    public override async Task<IReadOnlyList<EpochMetrics>> RunAsync(TaskActivityContext context, TrainChunkInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var data = await JobTrainingData.LoadAsync(workspace, input.JobId, input.Options, input.ShardSize, CancellationToken.None).ConfigureAwait(false);
        using var trainer = data.CreateTrainer(input.Options);
        var scratch = Path.Combine(workspace.Scratch(input.JobId), "chunk-" + Guid.NewGuid().ToString("N"));
        try
        {
            if (input.Plan.ResumeFromEpoch > 0)
            {
                logger.TrainingResumed(input.JobId, input.Plan.ResumeFromEpoch);
            }

            var epochs = await TrainingChunk.RunAsync(
                trainer, input.Plan, input.Options, new JobCheckpointStore(workspace, input.JobId), data.Vocabulary, data.Dataset.Dev, scratch, onStep: null, CancellationToken.None).ConfigureAwait(false);
            foreach (var epoch in epochs)
            {
                logger.EpochTrained(input.JobId, epoch.Phase, epoch.Epoch, epoch.TrainLoss, epoch.Reward, epoch.DevLoss, epoch.DevCider, epoch.Seconds);
            }

            return epochs;
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }
}
