using Captioner.Core.Features;
using Captioner.Core.Messages;
using Captioner.Core.Storage;

namespace Captioner.Core.Pipeline;

/// <summary>
/// Sends an uploaded image's features to the <c>features</c> queue for the decoding function. Bulk images are counted
/// where they are captioned, so they never take this path: a bulk image here is a bug, refused.
/// </summary>
public sealed class FeaturesQueueSink(StorageClients storage) : IEncodedImageSink
{
    public async Task<IngestOutcome> AcceptAsync(EncodedImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.BulkId is not null)
        {
            throw new ArgumentException("Bulk images are captioned where they are encoded (DecoderSink), not queued.", nameof(image));
        }

        var features = image.Features;
        if (features.Features is null || features.Map is null)
        {
            throw new ArgumentException("A rejected image has no features to queue.", nameof(image));
        }

        var message = new FeaturesMessage
        {
            Image = image.Image,
            Encoder = EncoderIdentity.Name,
            Features = MessageCodec.PackFeatures(features.Features),
            Map = MessageCodec.PackMap(features.Map),
            Decoding = image.Decoding,
            Force = image.Force,
            Timings = image.Timings,
            EnqueuedAt = DateTimeOffset.UtcNow,
        };
        await storage.Queue(storage.Names.FeaturesQueue).SendMessageAsync(MessageCodec.Serialize(message), cancellationToken).ConfigureAwait(false);
        return IngestOutcome.Queued;
    }
}
