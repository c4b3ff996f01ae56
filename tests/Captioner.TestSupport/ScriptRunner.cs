using System.Diagnostics;

namespace Captioner.TestSupport;

/// <summary>Runs one of the repository's scripts (<c>scripts/NAME</c>) with bash, as a user would, within a deadline.</summary>
public static class ScriptRunner
{
    public static async Task<CliRunner.Result> RunAsync(string script, TimeSpan deadline, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish in {deadline}:\n{await output}\n{await error}");
        }

        return new CliRunner.Result(process.ExitCode, await output, await error);
    }
}
