using System.Text.Json;
using System.Text.Json.Serialization;

namespace Captioner.Core.Corrections;

/// <summary>
/// The body of <c>PUT /api/corrections/{image}</c>: <c>{"caption": "...", "etag": "..."}</c> for a corrected caption, or
/// <c>{"confirmed": true, "etag": "..."}</c> for "this caption is right"; <c>etag</c> is the result's, so a correction
/// typed while the photo was replaced is refused instead of landing on the new photo.
/// </summary>
public sealed record CorrectionRequest
{
    /// <summary>Largest body read.</summary>
    public const int MaxBodyBytes = 4096;

    [JsonPropertyName("caption")] public string? Caption { get; init; }

    [JsonPropertyName("confirmed")] public bool Confirmed { get; init; }

    [JsonPropertyName("etag")] public string? ETag { get; init; }

    /// <summary>The request read and checked (its caption normalised), or the problem with it.</summary>
    public static (CorrectionRequest? Request, string? Problem) Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxBodyBytes)
        {
            return (null, $"A correction's body is at most {MaxBodyBytes} bytes.");
        }

        CorrectionRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, CorrectionJson.Default.CorrectionRequest);
        }
        catch (JsonException)
        {
            return (null, "The body must be JSON: {\"caption\": \"...\", \"etag\": \"...\"} or {\"confirmed\": true, \"etag\": \"...\"}.");
        }

        if (request is null || string.IsNullOrEmpty(request.ETag) || request.ETag.Length > 200)
        {
            return (null, "'etag' (the result's) is required: it says which version of the photo the correction is for.");
        }

        if (request.Confirmed)
        {
            return request.Caption is null ? (request, null) : (null, "Give either 'caption' or 'confirmed', not both.");
        }

        var (text, problem) = CorrectionText.Check(request.Caption);
        return problem is not null ? (null, problem) : (request with { Caption = text }, null);
    }
}
