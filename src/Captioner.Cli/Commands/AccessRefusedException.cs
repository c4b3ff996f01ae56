namespace Captioner.Cli.Commands;

/// <summary>The stack refused who the command said it was; one <c>error:</c> line, exit code <see cref="ExitCodes.AccessRefused"/>.</summary>
internal sealed class AccessRefusedException(string message) : Exception(message);
