using System.Text.Json;
using System.Text.Json.Serialization;

namespace Captioner.Core.Corrections;

/// <summary>
/// A person's caption of one photo: what the model should have said (or that it was right). It belongs to the photo's
/// content as it was captioned: <see cref="ETag"/> is the image's ETag in the result it corrects, so a photo replaced
/// under the same name does not inherit it (<see cref="CorrectionStore"/> treats it as stale).
/// </summary>
public sealed record CaptionCorrection
{
    [JsonPropertyName("container")] public required string Container { get; init; }

    [JsonPropertyName("image")] public required string Image { get; init; }

    /// <summary>The image's ETag when it was captioned (the result's): the content this correction is about.</summary>
    [JsonPropertyName("etag")] public required string ETag { get; init; }

    /// <summary>The caption a person gave, normalised by <see cref="CorrectionText"/>; the model's own when <see cref="Confirmed"/>.</summary>
    [JsonPropertyName("caption")] public required string Caption { get; init; }

    /// <summary>True when the person said the model's caption is right.</summary>
    [JsonPropertyName("confirmed")] public bool Confirmed { get; init; }

    /// <summary>What the model had said.</summary>
    [JsonPropertyName("modelCaption")] public string? ModelCaption { get; init; }

    [JsonPropertyName("modelVersion")] public string? ModelVersion { get; init; }

    [JsonPropertyName("time")] public DateTimeOffset Time { get; init; }

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, CorrectionJson.Default.CaptionCorrection);

    public static CaptionCorrection? Deserialize(BinaryData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return JsonSerializer.Deserialize(data.ToMemory().Span, CorrectionJson.Default.CaptionCorrection);
    }
}

[JsonSerializable(typeof(CaptionCorrection))]
[JsonSerializable(typeof(CorrectionRequest))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class CorrectionJson : JsonSerializerContext;
