using System.Text;
using System.Text.RegularExpressions;

namespace Captioner.Hosting;

/// <summary>What both hosts check of an HTTP request before acting on it.</summary>
public static partial class ApiRequests
{
    /// <summary>Longest training request body (a dataset and training options).</summary>
    public const int MaxTrainingBodyChars = 64 * 1024;

    public const string JobIdRule = "A job id is 1 to 100 letters, digits, hyphens and underscores.";

    /// <summary>Whether <paramref name="id"/> can be a bulk or training job id (no path or control characters).</summary>
    public static bool IsJobId(string id) => JobId().IsMatch(id);

    /// <summary>
    /// 415 unless the body is declared JSON. A cross-site form or <c>fetch</c> can send <c>text/plain</c> without a
    /// preflight, never <c>application/json</c>: requiring it keeps other sites from starting jobs.
    /// </summary>
    private static Http.ApiResult? JsonBodyProblem(Microsoft.AspNetCore.Http.HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            ? null
            : Http.ApiResult.Problem(Microsoft.AspNetCore.Http.StatusCodes.Status415UnsupportedMediaType, "The body must be JSON, sent with 'Content-Type: application/json'.");
    }

    /// <summary>
    /// The body of a request that must be JSON of at most <paramref name="maxChars"/> bytes, or the refusal to answer
    /// with (415 not declared JSON, 413 too long); <paramref name="what"/> names the request in the 413 ("A bulk request").
    /// </summary>
    public static async Task<JsonBody> ReadJsonBodyAsync(Microsoft.AspNetCore.Http.HttpRequest request, int maxChars, string what, CancellationToken cancellationToken)
    {
        if (JsonBodyProblem(request) is { } notJson)
        {
            return new JsonBody(string.Empty, notJson);
        }

        return await ReadBodyAsync(request.Body, request.ContentLength, maxChars, cancellationToken).ConfigureAwait(false) is { } text
            ? new JsonBody(text, null)
            : new JsonBody(string.Empty, Http.ApiResult.Problem(Microsoft.AspNetCore.Http.StatusCodes.Status413PayloadTooLarge, $"{what} is at most {maxChars:N0} bytes."));
    }

    /// <summary>Reads a UTF-8 body of at most <paramref name="maxChars"/> bytes; null when it is longer (read no further).</summary>
    private static async Task<string?> ReadBodyAsync(Stream body, long? contentLength, int maxChars, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (contentLength > maxChars)
        {
            return null;
        }

        var buffer = new byte[maxChars + 1];
        var read = 0;
        int last;
        while (read < buffer.Length && (last = await body.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += last;
        }

        return read > maxChars ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>A request's body text, or (with an empty text) why it was refused.</summary>
    public readonly record struct JsonBody(string Text, Http.ApiResult? Refusal);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex JobId();
}
