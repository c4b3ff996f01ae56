using Captioner.Core.Batching;
using Captioner.Core.Messages;

namespace Captioner.Core.Pipeline;

/// <summary>
/// An image ready for the decoder: its content's identity, its features (and region map, for attention
/// models), how to decode, its bulk job and whether to replace an existing result, and the stage timings so far.
/// </summary>
public sealed record CaptionJob(
    ImageReference Image,
    string Encoder,
    float[] Features,
    float[]? Map,
    DecodingSpec Decoding,
    string? BulkId,
    bool Force,
    Dictionary<string, double> Timings);
