namespace Captioner.LocalHost;

/// <summary>
/// Every log event of the local host's own background work, with its stable event id (800s). Ids are what alerts and
/// queries key on: never reuse or renumber one.
/// </summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 800, Level = LogLevel.Debug, Message = "Published {Count} blob-created events")]
    public static partial void BlobEventsPublished(this ILogger logger, int count);

    [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "Listing images for new blobs failed; trying again")]
    public static partial void BlobListingFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Reconcile sweep not started")]
    public static partial void ReconcileNotStarted(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 803, Level = LogLevel.Information, Message = "Seeded model {Version} from {Folder}")]
    public static partial void ModelSeeded(this ILogger logger, string version, string folder);
}
