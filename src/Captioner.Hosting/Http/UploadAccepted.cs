using System.Text.Json.Serialization;

namespace Captioner.Hosting.Http;

/// <summary>The 202 answer to an upload: where the caption will appear.</summary>
public sealed record UploadAccepted(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("etag")] string ETag,
    [property: JsonPropertyName("resultUrl")] string ResultUrl);
