using Captioner.Core.Models;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Captioner.Training.Orchestration.Activities;

/// <summary>
/// Makes a published version current through <see cref="ModelStore.PromoteAsync"/>, which loads and verifies it as a
/// worker would first; the workers pick it up at their next poll. A refused version fails the job at once (no retry:
/// the files will not change) and the pointer stays where it was.
/// </summary>
public sealed class PromoteModelActivity(TrainingWorkspace workspace, ILogger<PromoteModelActivity> logger) : TaskActivity<string, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, string input)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        try
        {
            await workspace.Models.PromoteAsync(input).ConfigureAwait(false);
        }
        catch (ModelLoadException ex)
        {
            // The orchestrator retries everything but InvalidDataException.
            throw new InvalidDataException($"Model {input} was not made current: {ex.Message}", ex);
        }

        logger.ModelPromoted(input);
        return true;
    }
}
