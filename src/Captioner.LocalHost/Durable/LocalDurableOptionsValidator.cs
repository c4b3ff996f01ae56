using Microsoft.Extensions.Options;

namespace Captioner.LocalHost.Durable;

/// <summary>Checks <c>Captioner:Durable</c> at start: a wrong port or timeout fails the host with one line, not the first training job.</summary>
internal sealed class LocalDurableOptionsValidator : IValidateOptions<LocalDurableOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalDurableOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.TaskHub) || !options.TaskHub.All(char.IsAsciiLetterOrDigit) || options.TaskHub.Length is < 3 or > 45 || !char.IsAsciiLetter(options.TaskHub[0]))
        {
            problems.Add($"{LocalDurableOptions.Section}:TaskHub must be 3 to 45 letters and digits starting with a letter (it names queues, tables and a container).");
        }

        if (options.SidecarPort is < 0 or > 65535)
        {
            problems.Add($"{LocalDurableOptions.Section}:SidecarPort must be 0 (any free port) or a port number.");
        }

        if (options.WorkItemVisibilityTimeout <= TimeSpan.Zero || options.ControlQueueVisibilityTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{LocalDurableOptions.Section}: the visibility timeouts must be positive.");
        }

        if (options.MaxConcurrentActivities is < 1 or > 64)
        {
            problems.Add($"{LocalDurableOptions.Section}:MaxConcurrentActivities must be between 1 and 64.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
