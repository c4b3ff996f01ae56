namespace Captioner.Core.Pipeline;

/// <summary>
/// Where ingest sends an encoded image: the <c>features</c> queue (uploads: the decoding function scales apart) or the
/// decoder in this process (bulk images: their worker holds the features already). The caller of ingest chooses.
/// </summary>
public interface IEncodedImageSink
{
    /// <summary>Takes one encoded image; returns <see cref="IngestOutcome.Queued"/>, or the outcome of captioning it here.</summary>
    Task<IngestOutcome> AcceptAsync(EncodedImage image, CancellationToken cancellationToken);
}
