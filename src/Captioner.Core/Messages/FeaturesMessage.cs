using System.Text.Json.Serialization;

namespace Captioner.Core.Messages;

/// <summary>
/// <c>features</c> queue, version 1: an image's encoder features (float16, base64: about 1.4 KB for
/// 512 features), what to decode them with, and the stage timings so far.
/// </summary>
public sealed record FeaturesMessage
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("v")] public int Version { get; init; } = CurrentVersion;

    [JsonPropertyName("image")] public required ImageReference Image { get; init; }

    /// <summary>Encoder identity the features come from; a model for another encoder refuses them.</summary>
    [JsonPropertyName("encoder")] public required string Encoder { get; init; }

    /// <summary>Features as little-endian float16, base64.</summary>
    [JsonPropertyName("features")] public required string Features { get; init; }

    [JsonPropertyName("decoding")] public DecodingSpec Decoding { get; init; } = new();

    /// <summary>The bulk job this image belongs to, if any.</summary>
    [JsonPropertyName("bulkId")] public string? BulkId { get; init; }

    /// <summary>Caption again even when a result for this ETag and model exists.</summary>
    [JsonPropertyName("force")] public bool Force { get; init; }

    /// <summary>Milliseconds per stage before the queue: download, decode, encode.</summary>
    [JsonPropertyName("timings")] public Dictionary<string, double> Timings { get; init; } = [];

    [JsonPropertyName("enqueuedAt")] public DateTimeOffset EnqueuedAt { get; init; }
}
