using System.Collections.Frozen;
using System.Net;
using Captioner.Core.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Captioner.Hosting.Http;

/// <summary>
/// <c>GET /</c> and <c>GET /page/{file}</c>: the page, its script and its style sheet, embedded in this assembly.
/// They hold no secret and are served without a key; the API behind them needs one (see app.js).
/// </summary>
public static class PageHandlers
{
    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Files = new[]
    {
        ("index.html", "text/html; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("app.css", "text/css; charset=utf-8"),
    }.ToFrozenDictionary(file => file.Item1, file => (Read(file.Item1), file.Item2), StringComparer.Ordinal);

    // The page changes with each deployment: browsers revalidate rather than keep an old script.
    private const string Caching = "no-cache";

    /// <summary>The page, with the training app's address (<c>Captioner:TrainingApiUrl</c>, empty locally) in a meta element the script reads.</summary>
    public static IResult Index(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trainingApi = TrainingApiUrl(request);
        if (trainingApi.Length == 0)
        {
            return Serve("index.html", trainingApi);
        }

        var html = System.Text.Encoding.UTF8.GetString(Files["index.html"].Content)
            .Replace("<meta name=\"captioner-training-api\" content=\"\">", $"<meta name=\"captioner-training-api\" content=\"{WebUtility.HtmlEncode(trainingApi)}\">", StringComparison.Ordinal);
        return ApiResult.File(System.Text.Encoding.UTF8.GetBytes(html), Files["index.html"].ContentType, Caching, PageSecurityHeaders.For(trainingApi));
    }

    /// <summary>The script or the style sheet; any other name is 404.</summary>
    public static IResult Asset(HttpRequest request, string file)
    {
        ArgumentNullException.ThrowIfNull(request);
        return file is "app.js" or "app.css" ? Serve(file, TrainingApiUrl(request)) : ApiResult.Problem(StatusCodes.Status404NotFound, $"There is no page file '{file}'.");
    }

    private static string TrainingApiUrl(HttpRequest request) =>
        request.HttpContext.RequestServices?.GetService<IOptions<PipelineOptions>>()?.Value.TrainingApiUrl ?? string.Empty;

    private static ApiResult Serve(string file, string trainingApi) =>
        ApiResult.File(Files[file].Content, Files[file].ContentType, Caching, PageSecurityHeaders.For(trainingApi));

    private static byte[] Read(string file)
    {
        using var stream = typeof(PageHandlers).Assembly.GetManifestResourceStream($"Captioner.Page.{file}")
            ?? throw new InvalidOperationException($"The page file {file} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
