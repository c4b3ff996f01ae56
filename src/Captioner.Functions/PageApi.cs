using Captioner.Hosting.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Captioner.Functions;

/// <summary>
/// <c>GET /</c> and <c>GET /page/{file}</c>: the page (the shared <see cref="PageHandlers"/>). Anonymous, the only
/// functions that are: they serve three fixed files with no secret in them, so that no key has to travel in the page's
/// address; the page's script sends its key as <c>x-functions-key</c> to every API function, each of which needs one.
/// </summary>
public static class PageApi
{
    /// <summary>The site root: host.json sets an empty route prefix, and an empty route would default to the function's name.</summary>
    public const string RootRoute = "{ignored:maxlength(0)?}";

    [Function("Page")]
    public static IResult Index([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RootRoute)] HttpRequest request) => PageHandlers.Index(request);

    [Function("PageAsset")]
    public static IResult Asset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "page/{file}")] HttpRequest request, string file) => PageHandlers.Asset(request, file);
}
