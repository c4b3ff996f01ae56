using System.Text.Json.Serialization;

namespace Captioner.Core.Models;

/// <summary><c>models/current.json</c>: which model version the workers serve.</summary>
public sealed record CurrentModelPointer(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("updatedAt")] DateTimeOffset UpdatedAt);

[JsonSerializable(typeof(CurrentModelPointer))]
internal sealed partial class PointerJson : JsonSerializerContext;
