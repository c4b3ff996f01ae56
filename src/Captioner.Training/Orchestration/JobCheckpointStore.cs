namespace Captioner.Training.Orchestration;

/// <summary>A training job's checkpoints as blobs: <c>jobs/{id}/checkpoints/epoch-NNN/{weights,optimizer}.bin</c>.</summary>
internal sealed class JobCheckpointStore(TrainingWorkspace workspace, string jobId) : ICheckpointStore
{
    public Task<string> LocalCopyAsync(int epoch, string file, CancellationToken cancellationToken) =>
        workspace.LocalCopyAsync(jobId, TrainingWorkspace.CheckpointBlob(jobId, epoch, file), cancellationToken);

    public async Task SaveAsync(int epoch, string weightsPath, string optimizerPath, CancellationToken cancellationToken)
    {
        // Weights last: a checkpoint is only used once the orchestrator has this activity's result.
        await workspace.UploadFileAsync(TrainingWorkspace.CheckpointBlob(jobId, epoch, TrainingChunk.OptimizerFile), optimizerPath, cancellationToken).ConfigureAwait(false);
        await workspace.UploadFileAsync(TrainingWorkspace.CheckpointBlob(jobId, epoch, TrainingChunk.WeightsFile), weightsPath, cancellationToken).ConfigureAwait(false);
    }

    public async Task PruneAsync(IReadOnlySet<int> keep, CancellationToken cancellationToken)
    {
        var prefix = TrainingWorkspace.CheckpointPrefix(jobId);
        foreach (var name in await workspace.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var folder = name[prefix.Length..].Split('/')[0];
            if (folder.StartsWith("epoch-", StringComparison.Ordinal) && int.TryParse(folder[6..], out var epoch) && !keep.Contains(epoch))
            {
                await workspace.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
