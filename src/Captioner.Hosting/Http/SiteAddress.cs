using Microsoft.AspNetCore.Http;

namespace Captioner.Hosting.Http;

/// <summary>Absolute URLs on the site a request came to, for <c>Location</c> headers.</summary>
internal static class SiteAddress
{
    public static Uri Root(HttpRequest request) => new($"{request.Scheme}://{request.Host}{request.PathBase}/");

    public static string Of(HttpRequest request, string path) => new Uri(Root(request), path.TrimStart('/')).ToString();
}
