using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Captioner.EndToEnd.Tests.Browser;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c> package, installed by scripts/test.sh; <c>CAPTIONER_CHROMIUM</c>
/// names another binary) with one page open over the DevTools protocol. A throwaway profile, killed on dispose.
/// </summary>
public sealed partial class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;

    private Chromium(Process process, string profile, DevToolsSession page)
    {
        _process = process;
        _profile = profile;
        Page = page;
    }

    public DevToolsSession Page { get; }

    public static async Task<Chromium> StartAsync()
    {
        var profile = Directory.CreateTempSubdirectory("captioner-chromium-").FullName;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("CAPTIONER_CHROMIUM") is { Length: > 0 } binary ? binary : "chromium")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1280,900", $"--user-data-dir={profile}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start.");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text && DevToolsAddress().Match(text) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var browser = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The browser endpoint lists its targets over HTTP: take the blank page opened at start.
        using var http = new HttpClient { BaseAddress = new Uri($"http://{browser.Authority}") };
        var targets = await http.GetFromJsonAsync<JsonElement>("/json/list");
        var page = targets.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
        var session = await DevToolsSession.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!));
        return new Chromium(process, profile, session);
    }

    public async ValueTask DisposeAsync()
    {
        await Page.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file for a moment; the temp folder is left behind.
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsAddress();
}
