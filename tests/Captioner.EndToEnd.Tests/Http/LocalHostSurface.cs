using System.Net.Http.Headers;

namespace Captioner.EndToEnd.Tests.Http;

/// <summary>The local host over real HTTP.</summary>
public sealed class LocalHostSurface(HttpClient http) : IHttpSurface
{
    public string Name => "local host";

    public async Task<SurfaceResponse> SendAsync(string method, string pathAndQuery, byte[]? body, string? contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(pathAndQuery, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await http.SendAsync(request);
        return new SurfaceResponse(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            response.Headers.Location?.ToString(),
            response.Headers.NonValidated.TryGetValues("Cache-Control", out var caching) ? caching.ToString() : null,
            await response.Content.ReadAsByteArrayAsync(),
            response.Headers.NonValidated.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
    }
}
