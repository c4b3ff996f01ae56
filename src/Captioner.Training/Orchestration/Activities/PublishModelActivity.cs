using Microsoft.DurableTask;

namespace Captioner.Training.Orchestration.Activities;

/// <summary>Input of <see cref="PublishModelActivity"/>: the job whose exported model to publish, and the version it must carry.</summary>
public sealed record PublishModelInput(string JobId, string Version);

/// <summary>
/// Publishes the job's model folder to the <c>models</c> container under its version (verified first;
/// versions are immutable, so a retried publish changes nothing). Does not make it current.
/// </summary>
public sealed class PublishModelActivity(TrainingWorkspace workspace) : TaskActivity<PublishModelInput, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, PublishModelInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var folder = await ModelFolder.DownloadAsync(workspace, input.JobId).ConfigureAwait(false);
        try
        {
            var version = await workspace.Models.PublishAsync(folder, makeCurrent: false).ConfigureAwait(false);
            return version == input.Version ? version : throw new InvalidDataException($"The exported model is version {version}, not {input.Version}.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
