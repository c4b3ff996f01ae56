using Captioner.Core.Features;
using Captioner.Core.Messages;

namespace Captioner.Core.Pipeline;

/// <summary>
/// What ingest hands to a sink: an image's content identity, the encoder's output, how to decode it, its bulk job (if
/// any) and whether to replace an existing result, and the stage timings so far.
/// </summary>
public sealed record EncodedImage(
    ImageReference Image,
    FeatureResult Features,
    DecodingSpec Decoding,
    string? BulkId,
    bool Force,
    Dictionary<string, double> Timings);
