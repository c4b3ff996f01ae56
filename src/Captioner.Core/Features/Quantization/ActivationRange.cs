using System.Text.Json.Serialization;

namespace Captioner.Core.Features.Quantization;

/// <summary>The calibrated range of one activation tensor: the values its uint8 form must cover.</summary>
public sealed record ActivationRange(
    [property: JsonPropertyName("min")] float Min,
    [property: JsonPropertyName("max")] float Max);
