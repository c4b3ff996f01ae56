using Captioner.Core;
using Microsoft.Extensions.Logging;

namespace Captioner.Core;

/// <summary>
/// Every log event of the captioning core, with its stable event id (100s models, 200s ingest, 300s decoding). Ids are
/// what alerts and queries key on: never reuse or renumber one.
/// </summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Model {Previous} replaced by {Current}")]
    public static partial void ModelReplaced(this ILogger logger, string previous, string current);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Model {Version} refused; still serving {Current}")]
    public static partial void ModelRefused(this ILogger logger, Exception exception, string version, string current);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Model refresh failed, will retry")]
    public static partial void ModelRefreshFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Image {Name} rejected ({Reason}): {Error}")]
    public static partial void ImageRejected(this ILogger logger, string name, FailureReason reason, string error);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Blob name refused: {Name}: {Problem}")]
    public static partial void BlobNameRefused(this ILogger logger, string name, string problem);

    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "Unreadable features message moved to the poison queue")]
    public static partial void FeaturesMessageUnreadable(this ILogger logger, Exception exception);
}
