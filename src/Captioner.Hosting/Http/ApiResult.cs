using System.Text;
using Microsoft.AspNetCore.Http;

namespace Captioner.Hosting.Http;

/// <summary>
/// The answers of the HTTP API. Written by hand rather than with <see cref="Results"/> so that executing
/// one needs no request services: the Functions app and tests run them on a bare <see cref="HttpContext"/>.
/// </summary>
public sealed class ApiResult : IResult
{
    private readonly byte[] _body;
    private readonly string? _contentType;
    private readonly string? _location;
    private readonly string? _cacheControl;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;

    private ApiResult(int status, byte[] body, string? contentType, string? location = null, string? cacheControl = null, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        Status = status;
        _body = body;
        _contentType = contentType;
        _location = location;
        _cacheControl = cacheControl;
        _headers = headers ?? [];
    }

    // Stored images are user content: even a browser that sniffs, or a tab that opens one by its address, must
    // treat it as an inert picture (no script, no plugins, no same-origin access).
    private const string ImagePolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

    public int Status { get; }

    public static ApiResult Json(string json, int status = StatusCodes.Status200OK) => new(status, Encoding.UTF8.GetBytes(json), "application/json");

    /// <summary>202 with the URL to follow in <c>Location</c> and in the body.</summary>
    public static ApiResult Accepted(string json, string location) => new(StatusCodes.Status202Accepted, Encoding.UTF8.GetBytes(json), "application/json", location);

    public static ApiResult Empty(int status) => new(status, [], null);

    public static ApiResult Problem(int status, string detail) => new(status, Encoding.UTF8.GetBytes(ProblemDetails.Serialize(status, detail)), ProblemDetails.ContentType);

    /// <summary>200 with <paramref name="content"/>; <paramref name="headers"/> are added as they are (the page's security headers).</summary>
    public static ApiResult File(byte[] content, string contentType, string cacheControl, IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        new(StatusCodes.Status200OK, content, contentType, cacheControl: cacheControl, headers: headers);

    /// <summary>An image (or thumbnail) of user content: nosniff, a sandboxing CSP and an inline disposition naming <paramref name="fileName"/>.</summary>
    public static ApiResult Image(byte[] content, string contentType, string fileName, string cacheControl) =>
        new(StatusCodes.Status200OK, content, contentType, null, cacheControl,
            [Header("Content-Security-Policy", ImagePolicy), Header("Content-Disposition", new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("inline") { FileNameStar = fileName }.ToString())]);

    /// <summary>503 with <c>Retry-After</c>: the host is at its limit of heavy requests.</summary>
    public static ApiResult Busy(int retryAfterSeconds, string detail) =>
        new(StatusCodes.Status503ServiceUnavailable, Encoding.UTF8.GetBytes(ProblemDetails.Serialize(StatusCodes.Status503ServiceUnavailable, detail)), ProblemDetails.ContentType, null, null,
            [Header("Retry-After", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

    private static KeyValuePair<string, string> Header(string name, string value) => new(name, value);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.Headers.XContentTypeOptions = "nosniff";
        foreach (var (name, value) in _headers)
        {
            response.Headers[name] = value;
        }

        if (_location is not null)
        {
            response.Headers.Location = _location;
        }

        if (_cacheControl is not null)
        {
            response.Headers.CacheControl = _cacheControl;
        }

        if (_contentType is not null)
        {
            response.ContentType = _contentType;
            response.ContentLength = _body.Length;
            await response.Body.WriteAsync(_body, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
