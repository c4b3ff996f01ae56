using Captioner.Hosting.Gallery;
using Microsoft.AspNetCore.Http;

namespace Captioner.Hosting.Http;

/// <summary><c>GET /api/results?offset=&amp;limit=&amp;q=&amp;order=newest|least-sure&amp;unsure=true</c>: a page of results for the gallery, newest or least sure first, optionally matching caption words or only unsure.</summary>
public sealed class GalleryHandlers(ResultGallery gallery)
{
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        if (!TryReadInt(query["offset"], 0, out var offset) || !TryReadInt(query["limit"], 24, out var limit))
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "offset and limit are whole numbers from 0.");
        }

        string? words = query["q"];
        if (words is { Length: > 200 })
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "A search is at most 200 characters.");
        }

        string? order = query["order"];
        string? unsure = query["unsure"];
        if (order is not (null or "" or "newest" or "least-sure") || unsure is not (null or "" or "true" or "false"))
        {
            return ApiResult.Problem(StatusCodes.Status400BadRequest, "order is newest or least-sure; unsure is true or false.");
        }

        return ApiResult.Json(GalleryApiJson.Serialize(await gallery.ListAsync(offset, limit, words, unsure == "true", order == "least-sure", cancellationToken).ConfigureAwait(false)));
    }

    private static bool TryReadInt(string? text, int fallback, out int value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value >= 0);
    }
}
