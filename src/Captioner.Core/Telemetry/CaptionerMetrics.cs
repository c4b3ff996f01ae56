using System.Diagnostics.Metrics;

namespace Captioner.Core.Telemetry;

/// <summary>
/// The app's own instruments, on one <see cref="Meter"/> that OpenTelemetry exports in Azure and
/// <see cref="MetricsAggregator"/> summarises for logs and the local host.
/// </summary>
public static class CaptionerMetrics
{
    /// <summary>The meter's name, for exporters.</summary>
    public const string MeterName = "Captioner";

    /// <summary>Items per batch, tagged <c>stage</c>.</summary>
    public const string BatchSize = "captioner.batch.size";

    /// <summary>Milliseconds each item waited for its batch, tagged <c>stage</c>.</summary>
    public const string QueueDelay = "captioner.batch.queue_delay";

    /// <summary>Storage requests sent, tagged <c>operation</c> (e.g. <c>blob.get</c>, <c>queue.post</c>).</summary>
    public const string StorageRequests = "captioner.storage.requests";

    /// <summary>Results written (a duplicate that finds its result already there writes none), tagged <c>status</c>.</summary>
    public const string ResultsWritten = "captioner.results.written";

    /// <summary>Of the results written with a caption, those marked unsure, tagged <c>because</c> (unfamiliar photo, low confidence or both).</summary>
    public const string UnsureResultsWritten = "captioner.results.unsure";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<int> BatchSizes = Meter.CreateHistogram<int>(BatchSize, "{item}", "Items per batch.");
    private static readonly Histogram<double> QueueDelays = Meter.CreateHistogram<double>(QueueDelay, "ms", "Time an item waited for its batch.");
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(StorageRequests, "{request}", "Storage requests sent by the app.");
    private static readonly Counter<long> Results = Meter.CreateCounter<long>(ResultsWritten, "{result}", "Caption results written.");
    private static readonly Counter<long> UnsureResults = Meter.CreateCounter<long>(UnsureResultsWritten, "{result}", "Caption results written whose caption is unsure.");

    /// <summary>Records one batch of <paramref name="size"/> items and each item's wait.</summary>
    public static void RecordBatch(string stage, int size, IEnumerable<double> queueDelaysMs)
    {
        ArgumentNullException.ThrowIfNull(queueDelaysMs);
        var tag = new KeyValuePair<string, object?>("stage", stage);
        BatchSizes.Record(size, tag);
        foreach (var delay in queueDelaysMs)
        {
            QueueDelays.Record(delay, tag);
        }
    }

    /// <summary>Counts one storage request.</summary>
    public static void RecordStorageRequest(string operation) =>
        Requests.Add(1, new KeyValuePair<string, object?>("operation", operation));

    /// <summary>Counts one result written.</summary>
    public static void RecordResult(string status) =>
        Results.Add(1, new KeyValuePair<string, object?>("status", status));

    /// <summary>Counts one result written whose caption is unsure, and why.</summary>
    public static void RecordUnsureResult(string because) =>
        UnsureResults.Add(1, new KeyValuePair<string, object?>("because", because));

    /// <summary>Whether an instrument is one of these.</summary>
    internal static bool Owns(Instrument instrument) => ReferenceEquals(instrument.Meter, Meter);
}
