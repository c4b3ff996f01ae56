using Captioner.Core;
using Captioner.Hosting.Http;

namespace Captioner.LocalHost;

/// <summary>
/// The local host has no keys, so it must not be usable from other sites the user's browser visits: requests must
/// name a loopback host (no DNS rebinding), and a request that changes something must come from this origin (no
/// cross-site form posts or fetches). Requests without browser headers (the CLI, scripts, tests) pass.
/// </summary>
internal sealed class CrossSiteGuard(RequestDelegate next, Microsoft.Extensions.Options.IOptions<LocalHostOptions> options)
{
    private readonly bool _allowRemote = options.Value.AllowRemote;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!_allowRemote && !LocalAddress.IsLoopbackName(request.Host.Host))
        {
            await ApiResult.Problem(StatusCodes.Status400BadRequest, $"This host answers only to loopback names (localhost, 127.0.0.1, [::1]), not '{PrintableText.Of(request.Host.Host)}'.").ExecuteAsync(context);
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method) && CrossSite(request) is { } from)
        {
            await ApiResult.Problem(StatusCodes.Status403Forbidden, $"Requests from other sites are refused ({from}).").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    /// <summary>What shows the request came from another site, or null.</summary>
    private static string? CrossSite(HttpRequest request)
    {
        // Browsers send Sec-Fetch-Site on every request; 'none' is the user typing an address or a bookmark.
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return $"Sec-Fetch-Site: {PrintableText.Of(site)}";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && !origin.Equals($"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase) ? $"Origin: {PrintableText.Of(origin)}" : null;
    }
}
