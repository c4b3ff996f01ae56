using Captioner.Core;
using Captioner.Core.Decoding;
using Captioner.Core.Imaging;

namespace Captioner.Evaluation.Captioning;

/// <summary>One image's caption, or the reason it has none; with its assessment when the model carries one.</summary>
public sealed record CaptionOutcome(string Image, DecodedCaption? Caption, FailureReason? Reason, string? Error)
{
    public Core.Confidence.CaptionAssessment? Assessment { get; init; }
}
