using System.Net;

namespace Captioner.Cli.Commands;

/// <summary>
/// Sends the function key as <c>x-functions-key</c> (a header, so it stays out of URLs and logs) and turns the API's
/// refusal (401, 403) into <see cref="AccessRefusedException"/>: one line and its own exit code, whichever command asked.
/// </summary>
internal sealed class FunctionKeyHandler(string? key) : DelegatingHandler(new SocketsHttpHandler())
{
    public const string Header = "x-functions-key";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (key is not null)
        {
            request.Headers.Add(Header, key);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
        {
            return response;
        }

        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        response.Dispose();
        throw new AccessRefusedException(key is null
            ? $"the API refused the key ({status}): none was given; pass --key or set ${StackApi.KeyVariable} (the app's function or host key)."
            : $"the API refused the key ({status}): check --key or ${StackApi.KeyVariable} (the app's function or host key).");
    }
}
