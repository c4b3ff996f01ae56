using System.Net.Sockets;
using System.Text.Json;
using Azure;
using Azure.Identity;
using Captioner.Cli.Commands;
using Captioner.Core.Models;

namespace Captioner.Cli;

/// <summary>
/// Turns whatever escapes a command into one <c>error:</c> line and an exit code (see <see cref="ExitCodes"/>);
/// a stack trace only with <c>--verbose</c>.
/// </summary>
internal static class CliErrors
{
    public static int Report(Exception exception, bool verbose)
    {
        var (code, message) = Classify(exception);
        Console.Error.WriteLine($"error: {message}");
        if (verbose)
        {
            Console.Error.WriteLine(exception);
        }
        else if (code == ExitCodes.Unexpected)
        {
            Console.Error.WriteLine("(run again with --verbose for the details, and please report it)");
        }

        return code;
    }

    internal static (int Code, string Message) Classify(Exception exception) => exception switch
    {
        UsageException or ModelLoadException or InvalidDataException or JsonException or FormatException or UriFormatException
            or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException => (ExitCodes.Usage, FirstLine(exception.Message)),
        ArgumentException argument => (ExitCodes.Usage, Sentence(argument)),
        AccessRefusedException => (ExitCodes.AccessRefused, FirstLine(exception.Message)),
        RequestFailedException { Status: 401 or 403 } failed => (ExitCodes.AccessRefused, $"storage refused the credentials ({failed.Status}): {FirstLine(failed.Message)} (with --account, your sign-in needs a Storage Blob/Queue/Table Data role on the account)"),
        CredentialUnavailableException => (ExitCodes.AccessRefused, "cannot sign in to Azure for storage: DefaultAzureCredential found no usable sign-in (--verbose lists each way it tried). Sign in with 'az login' or 'azd auth login', or use --connection."),
        AuthenticationFailedException => (ExitCodes.AccessRefused, $"cannot sign in to Azure for storage: {FirstLine(exception.Message)}"),
        _ when Unreachable(exception) is { } reason => (ExitCodes.Unreachable, $"cannot reach the stack: {reason}"),
        _ => (ExitCodes.Unexpected, $"unexpected {exception.GetType().Name}: {FirstLine(exception.Message)}"),
    };

    private static string? Unreachable(Exception exception) => exception switch
    {
        HttpRequestException or SocketException => FirstLine(exception.Message),
        RequestFailedException { Status: 0 } => FirstLine(exception.InnerException?.Message ?? exception.Message),
        TaskCanceledException { InnerException: TimeoutException } => "no answer in time",
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(inner => Unreachable(inner) is not null) => Unreachable(aggregate.InnerExceptions[^1]),
        _ => null,
    };

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>An argument exception's first line without the runtime's " (Parameter 'x')" tail.</summary>
    internal static string Sentence(ArgumentException exception)
    {
        var line = FirstLine(exception.Message);
        var tail = line.IndexOf(" (Parameter", StringComparison.Ordinal);
        return (tail < 0 ? line : line[..tail]).Trim();
    }
}
