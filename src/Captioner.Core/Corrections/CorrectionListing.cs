using System.Text.Json;
using System.Text.Json.Serialization;

namespace Captioner.Core.Corrections;

/// <summary>A stored correction and whether it is about its photo as captioned now (<c>false</c>: replaced since; not trained on).</summary>
public sealed record CorrectionListing(
    [property: JsonPropertyName("correction")] CaptionCorrection Correction,
    [property: JsonPropertyName("current")] bool Current)
{
    public static byte[] Serialize(IReadOnlyList<CorrectionListing> listings) =>
        JsonSerializer.SerializeToUtf8Bytes(new CorrectionList(listings), CorrectionListJson.Default.CorrectionList);

    public static IReadOnlyList<CorrectionListing> Deserialize(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, CorrectionListJson.Default.CorrectionList)?.Corrections ?? [];
}

/// <summary>The body of <c>GET /api/corrections</c>.</summary>
public sealed record CorrectionList([property: JsonPropertyName("corrections")] IReadOnlyList<CorrectionListing> Corrections);

[JsonSerializable(typeof(CorrectionList))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class CorrectionListJson : JsonSerializerContext;
