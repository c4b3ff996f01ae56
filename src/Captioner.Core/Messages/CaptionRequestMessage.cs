using System.Text.Json.Serialization;

namespace Captioner.Core.Messages;

/// <summary><c>caption-requests</c> queue, version 1: a bounded batch of existing blobs to caption for a bulk job.</summary>
public sealed record CaptionRequestMessage
{
    public const int CurrentVersion = 1;

    /// <summary>Images per message: keeps a message far below the 64 KB queue limit even with long names.</summary>
    public const int MaxImages = 32;

    [JsonPropertyName("v")] public int Version { get; init; } = CurrentVersion;

    [JsonPropertyName("bulkId")] public required string BulkId { get; init; }

    [JsonPropertyName("images")] public required IReadOnlyList<ImageReference> Images { get; init; }

    [JsonPropertyName("force")] public bool Force { get; init; }

    [JsonPropertyName("decoding")] public DecodingSpec Decoding { get; init; } = new();
}
