using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;

namespace Captioner.Functions;

/// <summary>
/// The app's public address (<c>Captioner:PublicUrl</c>, set by the templates; none: requests pass as they came) laid over each HTTP request before its
/// function runs: the platform terminates TLS, so the request says http and an internal host, and <c>Location</c> and
/// <c>statusUri</c> built from it would point nowhere. A configured address, not forwarded headers a caller could forge.
/// </summary>
public sealed class PublicAddress(IOptions<PublicAddressOptions> options) : IFunctionsWorkerMiddleware
{
    private readonly Uri? _address = options.Value.Address;

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
        if (_address is not null && context.GetHttpContext() is { } http)
        {
            Apply(http.Request, _address);
        }

        return next(context);
    }
}
