namespace Captioner.Core.Storage;

/// <summary>
/// Names of the containers, queues and table the system uses. Settings of the same names (section
/// <c>Captioner</c>) may override them; the infrastructure templates create these defaults.
/// </summary>
public sealed class StorageNames
{
    public string ImagesContainer { get; set; } = "images";

    public string CaptionsContainer { get; set; } = "captions";

    public string ModelsContainer { get; set; } = "models";

    /// <summary>Training datasets (images, captions, splits) and the working files of training jobs.</summary>
    public string TrainingContainer { get; set; } = "training";

    /// <summary>Thumbnails the page asked for, drawn once per image content (names are hashes of the image's container, name and ETag).</summary>
    public string ThumbnailsContainer { get; set; } = "thumbnails";

    /// <summary>Blob-created events of <c>images</c>, written by Event Grid (Azure); the local host polls the container instead.</summary>
    public string ImageEventsQueue { get; set; } = "image-events";

    public string FeaturesQueue { get; set; } = "features";

    public string CaptionRequestsQueue { get; set; } = "caption-requests";

    public string BulkRequestsQueue { get; set; } = "bulk-requests";

    public string BulkJobsTable { get; set; } = "bulkjobs";

    /// <summary>The pipeline's queues, each with a <c>-poison</c> queue beside it.</summary>
    public IReadOnlyList<string> PipelineQueues => [ImageEventsQueue, FeaturesQueue, CaptionRequestsQueue, BulkRequestsQueue];
}
