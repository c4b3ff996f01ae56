using Microsoft.DurableTask;

namespace Captioner.Training.Orchestration.Activities;

/// <summary>
/// Publishes the job's model folder to the <c>models</c> container under its version (verified first;
/// versions are immutable, so a retried publish changes nothing). Does not make it current.
/// </summary>
public sealed class PublishModelActivity(TrainingWorkspace workspace) : TaskActivity<string, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, string input)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        var folder = await ModelFolder.DownloadAsync(workspace, input).ConfigureAwait(false);
        try
        {
            return await workspace.Models.PublishAsync(folder, makeCurrent: false).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
