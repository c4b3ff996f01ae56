using System.Text.Json.Serialization;

namespace Captioner.Core.Pipeline;

/// <summary>Progress of a bulk job, as <c>GET /api/bulk/{id}</c> returns it.</summary>
public sealed record BulkStatus(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("container")] string Container,
    [property: JsonPropertyName("prefix")] string Prefix,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("done")] long Done,
    [property: JsonPropertyName("skipped")] long Skipped,
    [property: JsonPropertyName("failed")] long Failed,
    [property: JsonPropertyName("listingComplete")] bool ListingComplete,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("error")] string? Error = null)
{
    /// <summary>When the job's listing last made progress (its summary's last change); not part of the API's answer.</summary>
    [JsonIgnore]
    public DateTimeOffset ListingUpdatedAt { get; init; }

    /// <summary>Of the done images, those whose caption is unsure (an unfamiliar photo or low confidence).</summary>
    [JsonPropertyName("unsure")]
    public long Unsure { get; init; }

    /// <summary>Every listed image has an outcome and listing has finished, or the job failed (see <see cref="Error"/>).</summary>
    [JsonPropertyName("completed")]
    public bool Completed => ListingComplete && (Error is not null || Done + Skipped + Failed >= Total);
}
