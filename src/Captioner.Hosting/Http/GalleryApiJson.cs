using System.Text.Json;
using System.Text.Json.Serialization;
using Captioner.Core.Pipeline;
using Captioner.Hosting.Gallery;

namespace Captioner.Hosting.Http;

/// <summary>JSON of the gallery and upload endpoints.</summary>
public static class GalleryApiJson
{
    public static string Serialize(UploadAccepted accepted) => JsonSerializer.Serialize(accepted, GalleryJson.Default.UploadAccepted);

    public static string Serialize(CaptionResult result) => JsonSerializer.Serialize(result, GalleryJson.Default.CaptionResult);

    public static string Serialize(GalleryPage page) => JsonSerializer.Serialize(page, GalleryJson.Default.GalleryPage);
}

[JsonSerializable(typeof(UploadAccepted))]
[JsonSerializable(typeof(GalleryPage))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class GalleryJson : JsonSerializerContext;
