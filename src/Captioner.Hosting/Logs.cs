using Microsoft.Extensions.Logging;

namespace Captioner.Hosting;

/// <summary>
/// Every log event of the wiring both hosts share, with its stable event id (50s start-up, 700s metrics, 900s
/// retention). Ids are what alerts and queries key on: never reuse or renumber one.
/// </summary>
internal static partial class Logs
{
    // The exception is thrown on and reported by the host; this is the one line that says why it stops.
    [LoggerMessage(EventId = 50, Level = LogLevel.Critical, Message = "{Reason}")]
    public static partial void CudaRequired(this ILogger logger, string reason);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Image encoder running on {Provider}")]
    public static partial void EncoderStarted(this ILogger logger, string provider);

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Batching on {Provider}: encoder up to {EncoderBatch} images waiting up to {EncoderDelayMs} ms; decoder up to {DecoderBatch} waiting up to {DecoderDelayMs} ms")]
    public static partial void BatchingSettings(this ILogger logger, string provider, int encoderBatch, double encoderDelayMs, int decoderBatch, double decoderDelayMs);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Batches {Stage}: {Batches} batches of {Items} items, mean {MeanBatch}, sizes {Sizes}, queueing mean {MeanDelayMs} ms, max {MaxDelayMs} ms")]
    public static partial void BatchStage(this ILogger logger, string stage, long batches, long items, double meanBatch, string sizes, double meanDelayMs, double maxDelayMs);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Storage requests: {Total} ({ByOperation}); results written: {Results}")]
    public static partial void StorageRequests(this ILogger logger, long total, string byOperation, string results);

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Retention: {Bulk} finished bulk job(s) older than {BulkDays} days and {Training} training workspace(s) idle for {TrainingDays} days deleted")]
    public static partial void RetentionSwept(this ILogger logger, int bulk, int bulkDays, int training, int trainingDays);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Retention sweep failed; trying again tomorrow")]
    public static partial void RetentionFailed(this ILogger logger, Exception exception);
}
