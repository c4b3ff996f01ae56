namespace Captioner.Cli.Commands;

/// <summary>A request the command cannot carry out as asked; printed as one <c>error:</c> line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
