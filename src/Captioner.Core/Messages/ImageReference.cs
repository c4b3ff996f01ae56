using System.Text.Json.Serialization;

namespace Captioner.Core.Messages;

/// <summary>A blob to caption: container, name, and the ETag of the content that was (or will be) read.</summary>
public sealed record ImageReference(
    [property: JsonPropertyName("container")] string Container,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("etag")] string? ETag = null);
