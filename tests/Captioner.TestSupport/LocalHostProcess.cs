using System.Diagnostics;
using System.Net.Http.Json;

namespace Captioner.TestSupport;

/// <summary>
/// The local host as a separate process, as a user runs it: the built host with the given settings, listening on
/// <paramref name="httpPort"/>, every line it writes handed to <paramref name="output"/>. The one launcher of the
/// end-to-end and chaos tests; it can be killed (SIGKILL, as a crash) and started again. <paramref name="requestTimeout"/>
/// bounds each request of <see cref="Http"/> (HttpClient's 100 s when not given).
/// </summary>
public sealed class LocalHostProcess(IReadOnlyDictionary<string, string> environment, int httpPort, Action<string> output, TimeSpan? requestTimeout = null) : IDisposable
{
    private Process? _process;

    public HttpClient Http { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = requestTimeout ?? TimeSpan.FromSeconds(100) };

    public int ProcessId => _process?.Id ?? 0;

    /// <summary>Starts that ended before the host served a model (retried with <c>retryFailedStarts</c>).</summary>
    public int FailedStarts { get; private set; }

    /// <summary>
    /// Starts the host and waits until it serves a model. A host that exits first is an error, or with
    /// <paramref name="retryFailedStarts"/> is started again (storage faults at start-up are faults too).
    /// </summary>
    public async Task StartAsync(TimeSpan patience, bool retryFailedStarts = false)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(RepositoryPaths.Output("Captioner.LocalHost"), "Captioner.LocalHost.dll"));
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add(Http.BaseAddress!.ToString());
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, line) => Write(line.Data);
            _process.ErrorDataReceived += (_, line) => Write(line.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            while (!_process.HasExited && clock.Elapsed < patience)
            {
                if (await ServesModelAsync().ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(250).ConfigureAwait(false);
            }

            if (clock.Elapsed >= patience)
            {
                throw new TimeoutException($"The local host did not serve a model within {patience}.");
            }

            if (!retryFailedStarts)
            {
                throw new InvalidOperationException($"The local host exited with code {_process.ExitCode}.");
            }

            FailedStarts++;
            Write($"[test] the host exited at start with code {_process.ExitCode}; starting it again");
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
            var health = await Http.GetFromJsonAsync<Dictionary<string, object?>>("/api/health").ConfigureAwait(false);
            return health?.GetValueOrDefault("model") is not null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private void Write(string? line)
    {
        if (line is not null)
        {
            output(line);
        }
    }
}
