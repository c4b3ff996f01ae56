using Captioner.Core;
using System.Text.Json.Serialization;

namespace Captioner.Core.Pipeline;

/// <summary>
/// <c>captions/{image name}.json</c>: the one result every image that enters ends with, a caption or
/// <c>status: failed</c> with the reason.
/// </summary>
public sealed record CaptionResult
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    [JsonPropertyName("image")] public required string Image { get; init; }

    [JsonPropertyName("container")] public required string Container { get; init; }

    /// <summary>ETag of the image content this result is for.</summary>
    [JsonPropertyName("etag")] public string? ETag { get; init; }

    [JsonPropertyName("status")] public required string Status { get; init; }

    [JsonPropertyName("caption")] public string? Caption { get; init; }

    [JsonPropertyName("logprob")] public double? LogProbability { get; init; }

    /// <summary>The probability (0 to 1) that the caption is acceptable, calibrated on the model's dev split (see docs/model-and-training.md, Confidence).</summary>
    [JsonPropertyName("confidence")] public double? Confidence { get; init; }

    /// <summary>How close the photo is to the model's training photos (mean cosine similarity to the nearest; higher is more familiar).</summary>
    [JsonPropertyName("familiarity")] public double? Familiarity { get; init; }

    /// <summary>True when the familiarity is below the model's threshold (the dev split's 5th percentile).</summary>
    [JsonPropertyName("unfamiliar")] public bool? Unfamiliar { get; init; }

    /// <summary>True when the photo is unfamiliar or the confidence is below the pipeline's threshold; <see cref="UnsureBecause"/> says which.</summary>
    [JsonPropertyName("unsure")] public bool? Unsure { get; init; }

    [JsonPropertyName("unsureBecause")] public string? UnsureBecause { get; init; }

    /// <summary>Set instead of the scores when the model carries none (a model folder without confidence.json).</summary>
    [JsonPropertyName("confidenceUnavailable")] public string? ConfidenceUnavailable { get; init; }

    /// <summary>True when an unsure caption was held back (setting <c>Captioner:HoldBackUnsure</c>): <see cref="Caption"/> is empty and <see cref="BestGuess"/> keeps it.</summary>
    [JsonPropertyName("heldBack")] public bool? HeldBack { get; init; }

    [JsonPropertyName("bestGuess")] public string? BestGuess { get; init; }

    [JsonPropertyName("nbest")] public IReadOnlyList<NBestCaption>? NBest { get; init; }

    /// <summary>Soft-attention models: per word of the caption, its 49 attention weights over the 7x7 image regions (row-major), 3 decimals.</summary>
    [JsonPropertyName("attention")] public IReadOnlyList<float[]>? Attention { get; init; }

    /// <summary>Why the image failed, by name (<see cref="FailureReason"/>).</summary>
    [JsonPropertyName("reason")]
    [JsonConverter(typeof(JsonStringEnumConverter<FailureReason>))]
    public FailureReason? Reason { get; init; }

    [JsonPropertyName("error")] public string? Error { get; init; }

    [JsonPropertyName("modelVersion")] public string? ModelVersion { get; init; }

    [JsonPropertyName("encoder")] public string? Encoder { get; init; }

    [JsonPropertyName("bulkId")] public string? BulkId { get; init; }

    /// <summary>Milliseconds per stage: download, decode, encode, queue, caption.</summary>
    [JsonPropertyName("timings")] public Dictionary<string, double> Timings { get; init; } = [];

    [JsonPropertyName("time")] public DateTimeOffset Time { get; init; }
}

/// <summary>One of the n best captions of a beam search.</summary>
public sealed record NBestCaption(
    [property: JsonPropertyName("caption")] string Caption,
    [property: JsonPropertyName("logprob")] double LogProbability,
    [property: JsonPropertyName("score")] double Score);

[JsonSerializable(typeof(CaptionResult))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ResultJson : JsonSerializerContext;
