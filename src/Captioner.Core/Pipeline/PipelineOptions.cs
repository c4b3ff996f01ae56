using Captioner.Core.Storage;
using Captioner.Core.Imaging;

namespace Captioner.Core.Pipeline;

/// <summary>Settings of the captioning pipeline (configuration section <c>Captioner</c>).</summary>
public sealed class PipelineOptions
{
    /// <summary>What an image may be.</summary>
    public ImageLimits Limits { get; set; } = new();

    /// <summary>
    /// The containers images are read from, comma-separated (default <c>images</c>, where uploads go): the only ones
    /// the image, thumbnail, result and bulk routes open (<see cref="Pipeline.SourceContainers"/>).
    /// </summary>
    public string SourceContainers { get; set; } = StorageNames.Images;

    /// <summary>Decoding for uploads (bulk requests carry their own).</summary>
    public Messages.DecodingSpec Decoding { get; set; } = new();

    /// <summary>Also write the caption into the image blob's metadata (key <c>caption</c>).</summary>
    public bool WriteCaptionMetadata { get; set; }

    /// <summary>A caption whose confidence is below this (0 to 1; default 0.2) is marked unsure, as is any caption of an unfamiliar photo.</summary>
    public double UnsureBelow { get; set; } = Confidence.CaptionAssessment.DefaultUnsureBelow;

    /// <summary>Hold back unsure captions (default off): the result keeps the best guess in <c>bestGuess</c> and says it was held back, with no <c>caption</c>.</summary>
    public bool HoldBackUnsure { get; set; }

    /// <summary>How often workers look for a new <c>models/current.json</c>.</summary>
    public TimeSpan ModelPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the local host sweeps <c>images</c> for blobs without a result (the Functions app does it hourly on a timer).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Dynamic batching of the encoder and the decoder across concurrent invocations.</summary>
    public Batching.BatchingOptions Batching { get; set; } = new();

    /// <summary>Days a finished bulk job's progress rows are kept (swept daily).</summary>
    public int BulkRetentionDays { get; set; } = 30;

    /// <summary>Days a training job's workspace (<c>training/jobs/{id}/</c>) is kept after its last write (swept daily).</summary>
    public int TrainingRetentionDays { get; set; } = 30;

    /// <summary>How long a bulk job's listing may make no progress before its next page is queued again (default 3 minutes; a page takes seconds).</summary>
    public TimeSpan BulkStallTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Training jobs that may be pending or running at once (default 1: a job uses every core it is given).</summary>
    public int MaxRunningTrainingJobs { get; set; } = 1;

    /// <summary>Blobs listed per bulk page (one lister run each; default 5,000, the most one listing returns: a skipped image costs its share of a listing).</summary>
    public int BulkPageSize { get; set; } = 5000;

    /// <summary>
    /// Where the page sends its training requests: empty for this host (the local host serves training itself); in
    /// Azure the training app's address, since training runs in an app of its own (with its own function keys).
    /// </summary>
    public string TrainingApiUrl { get; set; } = string.Empty;
}
