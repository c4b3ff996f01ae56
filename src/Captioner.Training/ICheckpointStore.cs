namespace Captioner.Training;

/// <summary>Where the chunked trainer keeps its per-epoch checkpoints: a local folder, or a training job's blobs.</summary>
internal interface ICheckpointStore
{
    /// <summary>A local path of <paramref name="file"/> of epoch <paramref name="epoch"/>'s checkpoint.</summary>
    Task<string> LocalCopyAsync(int epoch, string file, CancellationToken cancellationToken);

    /// <summary>Stores epoch <paramref name="epoch"/>'s weights and optimizer state (weights last: they mark the checkpoint complete).</summary>
    Task SaveAsync(int epoch, string weightsPath, string optimizerPath, CancellationToken cancellationToken);

    /// <summary>Deletes every checkpoint but those of <paramref name="keep"/>.</summary>
    Task PruneAsync(IReadOnlySet<int> keep, CancellationToken cancellationToken);
}

/// <summary>Checkpoints in a local folder: <c>epoch-NNN/weights.bin</c> and <c>optimizer.bin</c>.</summary>
internal sealed class LocalCheckpointStore(string directory) : ICheckpointStore
{
    public Task<string> LocalCopyAsync(int epoch, string file, CancellationToken cancellationToken) =>
        Task.FromResult(Path.Combine(Folder(epoch), file));

    public Task SaveAsync(int epoch, string weightsPath, string optimizerPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder(epoch));
        File.Move(optimizerPath, Path.Combine(Folder(epoch), TrainingChunk.OptimizerFile), overwrite: true);
        File.Move(weightsPath, Path.Combine(Folder(epoch), TrainingChunk.WeightsFile), overwrite: true);
        return Task.CompletedTask;
    }

    public Task PruneAsync(IReadOnlySet<int> keep, CancellationToken cancellationToken)
    {
        if (Directory.Exists(directory))
        {
            foreach (var folder in Directory.GetDirectories(directory, "epoch-*"))
            {
                if (int.TryParse(Path.GetFileName(folder)[6..], out var epoch) && !keep.Contains(epoch))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }

        return Task.CompletedTask;
    }

    private string Folder(int epoch) => Path.Combine(directory, $"epoch-{epoch:D3}");
}
