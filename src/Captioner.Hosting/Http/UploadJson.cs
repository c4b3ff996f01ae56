using System.Text.Json;
using System.Text.Json.Serialization;
using Captioner.Core.Pipeline;
using Captioner.Hosting.Gallery;

namespace Captioner.Hosting.Http;

/// <summary>The 202 answer to an upload: where the caption will appear.</summary>
public sealed record UploadAccepted(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("etag")] string ETag,
    [property: JsonPropertyName("resultUrl")] string ResultUrl);

/// <summary>JSON of the gallery and upload endpoints.</summary>
public static class UploadJson
{
    public static string Serialize(UploadAccepted accepted) => JsonSerializer.Serialize(accepted, GalleryJson.Default.UploadAccepted);

    public static string Serialize(CaptionResult result) => JsonSerializer.Serialize(result, GalleryJson.Default.CaptionResult);

    public static string Serialize(GalleryPage page) => JsonSerializer.Serialize(page, GalleryJson.Default.GalleryPage);
}

[JsonSerializable(typeof(UploadAccepted))]
[JsonSerializable(typeof(GalleryPage))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class GalleryJson : JsonSerializerContext;
