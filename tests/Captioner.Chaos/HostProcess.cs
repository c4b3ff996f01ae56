using Captioner.TestSupport;

namespace Captioner.Chaos;

/// <summary>
/// The local host for a chaos run: storage through the proxy, output appended to a log file; started again after
/// each SIGKILL, and a start that fails (storage faults at start-up are faults too) is retried.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private readonly object _logLock = new();
    private readonly LocalHostProcess _host;

    public HostProcess(IReadOnlyDictionary<string, string> environment, int httpPort, string logPath)
    {
        LogPath = logPath;
        _host = new LocalHostProcess(environment, httpPort, Log, requestTimeout: TimeSpan.FromSeconds(30));
    }

    public string LogPath { get; }

    public HttpClient Http => _host.Http;

    /// <summary>Starts that ended before the host served a model (each is retried).</summary>
    public int FailedStarts => _host.FailedStarts;

    /// <summary>Starts the host and waits until it serves a model.</summary>
    public async Task StartAsync(TimeSpan patience)
    {
        try
        {
            await _host.StartAsync(patience, retryFailedStarts: true);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} See {LogPath}.", ex);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flushing, messages in flight stay taken.</summary>
    public void Kill() => _host.Kill();

    public void Dispose() => _host.Dispose();

    private void Log(string line)
    {
        lock (_logLock)
        {
            File.AppendAllText(LogPath, line + Environment.NewLine);
        }
    }
}
