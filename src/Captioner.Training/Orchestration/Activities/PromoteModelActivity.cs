using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Captioner.Training.Orchestration.Activities;

/// <summary>Points <c>models/current.json</c> at a published version; the workers pick it up at their next poll.</summary>
public sealed class PromoteModelActivity(TrainingWorkspace workspace, ILogger<PromoteModelActivity> logger) : TaskActivity<string, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, string input)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        await workspace.Models.SetCurrentAsync(input).ConfigureAwait(false);
        logger.LogInformation("Model {Version} is now current", input);
        return true;
    }
}
