using System.Diagnostics;
using System.Net.Http.Json;
using Captioner.TestSupport;

namespace Captioner.Chaos;

/// <summary>
/// The local host as a separate process, storage through the proxy, output appended to a log file; started
/// again after each SIGKILL. A start that fails (storage faults at start-up are faults too) is retried.
/// </summary>
internal sealed class HostProcess(IReadOnlyDictionary<string, string> environment, int httpPort, string logPath) : IDisposable
{
    private readonly object _logLock = new();
    private Process? _process;

    public string LogPath => logPath;

    public HttpClient Http { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Starts that ended before the host served a model (each is retried).</summary>
    public int FailedStarts { get; private set; }

    /// <summary>Starts the host and waits until it serves a model.</summary>
    public async Task StartAsync(TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(RepositoryPaths.Output("Captioner.LocalHost"), "Captioner.LocalHost.dll"));
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            start.Environment["ASPNETCORE_URLS"] = Http.BaseAddress!.ToString();
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, line) => Log(line.Data);
            _process.ErrorDataReceived += (_, line) => Log(line.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            while (!_process.HasExited && clock.Elapsed < patience)
            {
                if (await ServesModelAsync())
                {
                    return;
                }

                await Task.Delay(250);
            }

            if (clock.Elapsed >= patience)
            {
                throw new TimeoutException($"The local host did not serve a model within {patience}; see {logPath}.");
            }

            FailedStarts++;
            Log($"[chaos] the host exited at start with code {_process.ExitCode}; starting it again");
        }
    }

    /// <summary>SIGKILL: no shutdown, no flushing, messages in flight stay taken.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Kill();
        Http.Dispose();
    }

    private async Task<bool> ServesModelAsync()
    {
        try
        {
            var health = await Http.GetFromJsonAsync<Dictionary<string, object?>>("/api/health");
            return health?.GetValueOrDefault("model") is not null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            File.AppendAllText(logPath, line + Environment.NewLine);
        }
    }
}
