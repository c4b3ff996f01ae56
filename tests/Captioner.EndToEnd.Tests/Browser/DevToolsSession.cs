using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Captioner.EndToEnd.Tests.Browser;

/// <summary>
/// A page of headless Chromium driven over the DevTools protocol (JSON over a WebSocket): navigate, evaluate
/// script, wait for a condition, answer requests, take screenshots. Just what the page tests use.
/// </summary>
public sealed class DevToolsSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<string, Func<JsonElement, Task>> _events = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiving;
    private int _nextId;

    public static async Task<DevToolsSession> ConnectAsync(Uri webSocketUrl)
    {
        var session = new DevToolsSession();
        await session._socket.ConnectAsync(webSocketUrl, CancellationToken.None);
        session._receiving = Task.Run(session.ReceiveAsync);
        await session.SendAsync("Page.enable");
        await session.SendAsync("Runtime.enable");
        return session;
    }

    /// <summary>Runs <paramref name="handler"/> for each event named <paramref name="method"/> (off the receive loop).</summary>
    public void On(string method, Func<JsonElement, Task> handler) => _events[method] = handler;

    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }

        return await answer.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task NavigateAsync(Uri url)
    {
        await SendAsync("Page.navigate", new { url = url.ToString() });
        await WaitForAsync("document.readyState === 'complete' && document.querySelector('main') !== null", TimeSpan.FromSeconds(20));
    }

    /// <summary>The value of a script expression (promises awaited); a script error is an exception with its text.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var error))
        {
            throw new InvalidOperationException($"Script failed: {error}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    public async Task<string> TextAsync(string selector) =>
        (await EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.innerText ?? ''")).GetString() ?? string.Empty;

    /// <summary>Waits until <paramref name="condition"/> (a script expression) is true; fails with the page's text when it never is.</summary>
    public async Task WaitForAsync(string condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await EvaluateAsync($"Boolean({condition})")).ValueKind == JsonValueKind.True)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Not true within {timeout.TotalSeconds:0} s: {condition}\nPage text: {await TextAsync("main")}");
    }

    public async Task<byte[]> ScreenshotAsync() =>
        Convert.FromBase64String((await SendAsync("Page.captureScreenshot", new { format = "png" })).GetProperty("data").GetString()!);

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                {
                    continue;
                }

                Dispatch(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }

        foreach (var waiting in _pending.Values)
        {
            waiting.TrySetException(new InvalidOperationException("The browser closed the DevTools connection."));
        }
    }

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var answer))
        {
            if (message.TryGetProperty("error", out var error))
            {
                answer.TrySetException(new InvalidOperationException($"DevTools error: {error}"));
            }
            else
            {
                answer.TrySetResult(message.GetProperty("result"));
            }
        }
        else if (message.TryGetProperty("method", out var method) && _events.TryGetValue(method.GetString()!, out var handler))
        {
            // Handlers send commands themselves: run them off this loop, which must keep reading their answers.
            _ = Task.Run(() => handler(message.GetProperty("params")));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_receiving is not null)
        {
            await _receiving;
        }

        _socket.Dispose();
        _sending.Dispose();
        _stop.Dispose();
    }
}
