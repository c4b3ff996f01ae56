using System.Diagnostics;

namespace Captioner.TestSupport;

/// <summary>Runs the built CLI (captioner.dll beside the tests, else the CLI project's build output) as a real process.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Result Run(params string[] arguments) => Run(new Dictionary<string, string?>(), arguments);

    /// <summary>Runs with <paramref name="environment"/> laid over this process's (a null value removes the variable).</summary>
    public static Result Run(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        start.ArgumentList.Add(File.Exists(Path.Combine(AppContext.BaseDirectory, "captioner.dll"))
            ? Path.Combine(AppContext.BaseDirectory, "captioner.dll")
            : Path.Combine(RepositoryPaths.Output("Captioner.Cli"), "captioner.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("captioner did not finish in 5 minutes: " + string.Join(' ', arguments));
        }

        return new Result(process.ExitCode, output.Result, error.Result);
    }
}
