namespace Captioner.Core.Storage;

/// <summary>
/// Names of the containers, queues and table the system uses, declared once: the constants are what the trigger
/// attributes, the templates (a test checks <c>infra/app/settings.bicep</c>) and the hosts use. They are not
/// settings: a queue trigger's name is fixed when the app is built. An instance with other names serves only
/// tests that need storage of their own on one emulator.
/// </summary>
public sealed class StorageNames
{
    /// <summary>The setting that names the storage account: a connection string locally, <c>__accountName</c> and the identity in Azure.</summary>
    public const string ConnectionSetting = "AzureWebJobsStorage";

    public const string Images = "images";
    public const string Captions = "captions";
    public const string Models = "models";
    public const string Training = "training";
    public const string Thumbnails = "thumbnails";
    public const string ImageEvents = "image-events";
    public const string Features = "features";
    public const string CaptionRequests = "caption-requests";
    public const string BulkRequests = "bulk-requests";
    public const string BulkJobs = "bulkjobs";

    public string ImagesContainer { get; init; } = Images;

    public string CaptionsContainer { get; init; } = Captions;

    public string ModelsContainer { get; init; } = Models;

    /// <summary>Training datasets (images, captions, splits) and the working files of training jobs.</summary>
    public string TrainingContainer { get; init; } = Training;

    /// <summary>Thumbnails the page asked for, drawn once per image content (names are hashes of the image's container, name and ETag).</summary>
    public string ThumbnailsContainer { get; init; } = Thumbnails;

    /// <summary>Blob-created events of <c>images</c>, written by Event Grid (Azure) or the local host's stand-in, which lists the container.</summary>
    public string ImageEventsQueue { get; init; } = ImageEvents;

    public string FeaturesQueue { get; init; } = Features;

    public string CaptionRequestsQueue { get; init; } = CaptionRequests;

    public string BulkRequestsQueue { get; init; } = BulkRequests;

    public string BulkJobsTable { get; init; } = BulkJobs;

    /// <summary>The pipeline's queues, each with a <c>-poison</c> queue beside it.</summary>
    public IReadOnlyList<string> PipelineQueues => [ImageEventsQueue, FeaturesQueue, CaptionRequestsQueue, BulkRequestsQueue];
}
