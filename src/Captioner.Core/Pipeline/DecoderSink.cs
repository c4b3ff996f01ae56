using Captioner.Core.Features;

namespace Captioner.Core.Pipeline;

/// <summary>
/// Captions an encoded image in this process (bulk images: a round trip of ~50 KB per image through the queue would
/// only add storage requests and time), with its features as the queue would have carried them.
/// </summary>
public sealed class DecoderSink(CaptionHandler captions) : IEncodedImageSink
{
    public async Task<IngestOutcome> AcceptAsync(EncodedImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var queued = image.Features.AsQueued();
        var result = await captions.CaptionAsync(
            new CaptionJob(image.Image, EncoderIdentity.Name, queued.Features!, queued.Map, image.Decoding, image.BulkId, image.Force, image.Timings), cancellationToken).ConfigureAwait(false);
        return result is { Status: CaptionResult.Succeeded } ? result.Unsure == true ? IngestOutcome.CaptionedUnsure : IngestOutcome.Captioned : IngestOutcome.Failed;
    }
}
