using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Captioner.Cli.Tests.Stack;

/// <summary>One request as the server saw it.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A small HTTP server on a free loopback port: answers each request with <c>answer</c> (status, JSON body) and records it.</summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Func<RecordedRequest, (int Status, string Body)> _answer;

    public LoopbackHttpServer(Func<RecordedRequest, (int Status, string Body)> answer)
    {
        _answer = answer;
        Address = $"http://127.0.0.1:{AzuriteProcess.FreePort()}";
        _listener.Prefixes.Add(Address + "/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Address { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(name => name, name => context.Request.Headers[name] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, headers);
            _requests.Enqueue(request);
            var (status, body) = _answer(request);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
