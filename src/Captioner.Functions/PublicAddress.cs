using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Captioner.Functions;

/// <summary>
/// The app's public address (<c>Captioner:PublicUrl</c>, set by the templates) laid over each HTTP request before its
/// function runs: the platform terminates TLS, so the request says http and an internal host, and <c>Location</c> and
/// <c>statusUri</c> built from it would point nowhere. A configured address, not forwarded headers a caller could forge.
/// </summary>
public sealed class PublicAddress(Uri address) : IFunctionsWorkerMiddleware
{
    /// <summary>The address from configuration: null when unset; an absolute https URL otherwise, or the host does not start.</summary>
    public static Uri? FromSetting(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttps || address.Query.Length > 0)
        {
            throw new Hosting.InvalidSettingsException($"Captioner:PublicUrl must be empty or an absolute https address without a query (got '{value}').");
        }

        return address;
    }

    /// <summary>Makes <paramref name="request"/> say the public scheme, host and base path.</summary>
    public static void Apply(HttpRequest request, Uri address)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(address);
        request.Scheme = address.Scheme;
        request.Host = address.IsDefaultPort ? new HostString(address.Host) : new HostString(address.Host, address.Port);
        request.PathBase = PathString.FromUriComponent(address.AbsolutePath.TrimEnd('/'));
    }

    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is { } http)
        {
            Apply(http.Request, address);
        }

        return next(context);
    }
}
