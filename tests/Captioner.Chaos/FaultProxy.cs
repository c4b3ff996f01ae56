using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Captioner.Chaos;

/// <summary>
/// A loopback HTTP proxy in front of Azurite's three services, through which every storage request of the
/// host goes (its handlers', the trigger engine's and Durable Task's alike). It forwards requests byte for
/// byte (headers, query and body untouched, so shared-key signatures hold) and fails some as the
/// <see cref="FaultPlan"/> says. It also watches result writes, so the audit can tell how often each
/// image's result was written and with which caption.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Expect", "Upgrade", "Proxy-Connection" };
    private readonly WebApplication _app;
    private readonly HttpClient _storage = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None, MaxConnectionsPerServer = 256 }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly FaultPlan _plan;
    private readonly TimeSpan _hold;

    /// <param name="targets">Each listening port and the Azurite endpoint (scheme, host, port) it forwards to.</param>
    /// <param name="hold">How long a <see cref="FaultKind.Timeout"/> holds a request: past the host's storage network timeout.</param>
    public FaultProxy(IReadOnlyDictionary<int, Uri> targets, FaultPlan plan, TimeSpan hold, ResultWrites writes)
    {
        _plan = plan;
        _hold = hold;
        Writes = writes;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            foreach (var port in targets.Keys)
            {
                kestrel.Listen(IPAddress.Loopback, port);
            }
        });
        _app = builder.Build();
        _app.Run(context => ForwardAsync(context, targets[context.Connection.LocalPort]));
    }

    public ResultWrites Writes { get; }

    /// <summary>Answers 412 (a write lost an optimistic-concurrency race): what instances contending on one entity cost.</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    private int _conflicts;

    public Task StartAsync() => _app.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _storage.Dispose();
    }

    private async Task ForwardAsync(HttpContext context, Uri target)
    {
        // The body is read first: a request held past the client's timeout is still carried out whole.
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var dequeue = HttpMethods.IsGet(context.Request.Method) && (context.Request.Path.Value ?? string.Empty).EndsWith("/messages", StringComparison.Ordinal)
            && !context.Request.QueryString.ToString().Contains("peekonly=true", StringComparison.OrdinalIgnoreCase);
        var fault = _plan.Next(dequeue);
        switch (fault)
        {
            case FaultKind.ServerBusy:
                await RefuseAsync(context, 503, "ServerBusy", "The server is busy (injected).");
                return;
            case FaultKind.InternalError:
                await RefuseAsync(context, 500, "InternalError", "The server encountered an internal error (injected).");
                return;
            case FaultKind.ResetBeforeStorage:
                context.Abort();
                return;
            case FaultKind.Timeout:
                // The client gives up meanwhile; the request still reaches storage, late, as a slow network would deliver it.
                await Task.Delay(_hold);
                break;
        }

        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(target, rawTarget));
        if (body.Length > 0 || context.Request.ContentLength is not null || HttpMethods.IsPut(context.Request.Method) || HttpMethods.IsPost(context.Request.Method))
        {
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }

        using var response = await _storage.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
        var content = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
        Writes.Observe(context.Request.Method, context.Request.Path, context.Request.QueryString, (int)response.StatusCode, body);
        if (response.StatusCode == System.Net.HttpStatusCode.PreconditionFailed)
        {
            Interlocked.Increment(ref _conflicts);
        }

        if (fault == FaultKind.ResetAfterStorage || context.RequestAborted.IsCancellationRequested)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        if (!HttpMethods.IsHead(context.Request.Method) && content.Length > 0)
        {
            await context.Response.Body.WriteAsync(content);
        }
    }

    private static async Task RefuseAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-ms-error-code"] = code;
        context.Response.ContentType = "application/xml";
        var body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    }
}
