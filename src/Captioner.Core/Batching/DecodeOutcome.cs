using Captioner.Core.Decoding;

namespace Captioner.Core.Batching;

/// <summary>A caption, or why there is none, and the model version that decided; with its assessment when the model carries one.</summary>
public sealed record DecodeOutcome(string ModelVersion, DecodedCaption? Caption, FailureReason? Reason, string? Error)
{
    public Confidence.CaptionAssessment? Assessment { get; init; }

    public static DecodeOutcome Failed(string modelVersion, FailureReason reason, string error) => new(modelVersion, null, reason, error);
}
