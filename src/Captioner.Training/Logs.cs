using Captioner.Evaluation.Data;
using Captioner.Training.Orchestration;
using Microsoft.Extensions.Logging;

namespace Captioner.Training;

/// <summary>
/// Every log event of the training job's activities, with its stable event id (1000s). Ids are what alerts and
/// queries key on: never reuse or renumber one.
/// </summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Job {JobId}: {Train} train and {Dev} dev images ({Format}), {Shards} feature shards")]
    public static partial void DatasetPrepared(this ILogger logger, string jobId, int train, int dev, CaptionFileFormat format, int shards);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Job {JobId}: {Split} shard {Index} ({Count} images) encoded in {Seconds:F1} s")]
    public static partial void FeatureShardEncoded(this ILogger logger, string jobId, string split, int index, int count, double seconds);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Job {JobId}: resuming from the checkpoint of epoch {Epoch}")]
    public static partial void TrainingResumed(this ILogger logger, string jobId, int epoch);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Job {JobId}: {Phase} epoch {Epoch} train loss {TrainLoss:F4} reward {Reward} dev loss {DevLoss:F4} dev CIDEr-D {DevCider:F4} in {Seconds:F1} s")]
    public static partial void EpochTrained(this ILogger logger, string jobId, EpochPhase phase, int epoch, double trainLoss, double? reward, double devLoss, double? devCider, double seconds);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Job {JobId}: exported epoch {Epoch} as {Version} (parity {Parity:G3})")]
    public static partial void ModelExported(this ILogger logger, string jobId, int epoch, string version, double parity);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Job {JobId}: dev greedy BLEU-4 {Bleu4:F4} CIDEr-D {Cider:F4}; current model {Current} CIDEr-D {CurrentCider}")]
    public static partial void ModelEvaluated(this ILogger logger, string jobId, double bleu4, double cider, string current, double? currentCider);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Model {Version} is now current")]
    public static partial void ModelPromoted(this ILogger logger, string version);
}
