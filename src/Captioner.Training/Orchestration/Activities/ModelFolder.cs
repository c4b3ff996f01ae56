namespace Captioner.Training.Orchestration.Activities;

/// <summary>Downloads a job's exported model folder to a fresh local folder (the caller deletes it).</summary>
internal static class ModelFolder
{
    public static async Task<string> DownloadAsync(TrainingWorkspace workspace, string jobId)
    {
        var folder = Path.Combine(workspace.Scratch(jobId), "model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var prefix = TrainingWorkspace.ModelPrefix(jobId);
        foreach (var name in await workspace.ListAsync(prefix, CancellationToken.None).ConfigureAwait(false))
        {
            await workspace.DownloadToAsync(name, Path.Combine(folder, name[prefix.Length..]), CancellationToken.None).ConfigureAwait(false);
        }

        return folder;
    }
}
