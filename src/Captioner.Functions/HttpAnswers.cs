using System.Net;
using Captioner.Hosting;
using Microsoft.Azure.Functions.Worker.Http;

namespace Captioner.Functions;

/// <summary>Responses of the HTTP functions: JSON bodies and problem details, as the local host writes them.</summary>
internal static class HttpAnswers
{
    public static async Task<HttpResponseData> Json(HttpRequestData request, HttpStatusCode status, string body, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/json");
        await response.WriteStringAsync(body, cancellationToken).ConfigureAwait(false);
        return response;
    }

    public static async Task<HttpResponseData> Problem(HttpRequestData request, HttpStatusCode status, string detail, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", ProblemDetails.ContentType);
        await response.WriteStringAsync(ProblemDetails.Serialize((int)status, detail), cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>The body, or null when it is over <paramref name="maxChars"/> bytes.</summary>
    public static Task<string?> BodyAsync(HttpRequestData request, int maxChars, CancellationToken cancellationToken) =>
        ApiRequests.ReadBodyAsync(request.Body, request.Headers.TryGetValues("Content-Length", out var values) && long.TryParse(values.FirstOrDefault(), out var length) ? length : null, maxChars, cancellationToken);
}
