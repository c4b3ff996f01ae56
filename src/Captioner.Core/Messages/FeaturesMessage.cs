using System.Text.Json.Serialization;

namespace Captioner.Core.Messages;

/// <summary>
/// <c>features</c> queue, version 2: an image's pooled features (float16, base64: about 1.4 KB for 512
/// values) and its region map for attention decoders (49 x 512 values quantised to 8 bits with one
/// scale per channel: 27 KB, 36 KB as base64; see <see cref="MessageCodec.PackMap"/>), what to decode
/// them with, and the stage timings so far. Uploads only: bulk images are captioned where they are encoded (a
/// <c>bulkId</c> field of earlier workers is ignored). The whole message, base64-encoded again by the queue, stays
/// near 50 KB, under the 64 KB limit. Version 1 (no map) is still read: show-and-tell models caption it.
/// </summary>
public sealed record FeaturesMessage
{
    public const int CurrentVersion = 2;

    /// <summary>The oldest version this worker still reads.</summary>
    public const int OldestVersion = 1;

    [JsonPropertyName("v")] public int Version { get; init; } = CurrentVersion;

    [JsonPropertyName("image")] public required ImageReference Image { get; init; }

    /// <summary>Encoder identity the features come from; a model for another encoder refuses them.</summary>
    [JsonPropertyName("encoder")] public required string Encoder { get; init; }

    /// <summary>Features as little-endian float16, base64.</summary>
    [JsonPropertyName("features")] public required string Features { get; init; }

    /// <summary>The region map, 8-bit with per-channel scales, base64 (version 2; null in version 1).</summary>
    [JsonPropertyName("map")] public string? Map { get; init; }

    [JsonPropertyName("decoding")] public DecodingSpec Decoding { get; init; } = new();

    /// <summary>Caption again even when a result for this ETag and model exists.</summary>
    [JsonPropertyName("force")] public bool Force { get; init; }

    /// <summary>Milliseconds per stage before the queue: download, decode, encode.</summary>
    [JsonPropertyName("timings")] public Dictionary<string, double> Timings { get; init; } = [];

    [JsonPropertyName("enqueuedAt")] public DateTimeOffset EnqueuedAt { get; init; }
}
