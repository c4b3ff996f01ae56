namespace Captioner.Core.Pipeline;

/// <summary>What happened to an image at the ingest stage.</summary>
public enum IngestOutcome
{
    /// <summary>Features were queued for captioning (uploads).</summary>
    Queued,

    /// <summary>The image was captioned by the ingest worker itself (bulk requests) and its result written.</summary>
    Captioned,

    /// <summary>Captioned by the ingest worker (bulk requests), the caption marked unsure (unfamiliar photo or low confidence).</summary>
    CaptionedUnsure,

    /// <summary>A result for this content exists (any model; force re-captions); nothing to do.</summary>
    Skipped,

    /// <summary>The image was rejected and its failure result written.</summary>
    Failed,

    /// <summary>The blob is empty or gone; there is nothing to caption.</summary>
    Ignored,
}
