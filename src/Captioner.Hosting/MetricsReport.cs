using System.Globalization;
using Captioner.Core.Batching;
using Captioner.Core.Pipeline;
using Captioner.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Captioner.Hosting;

/// <summary>
/// Logs the batching settings at start, then, every minute with new work, each batching stage (batches,
/// mean size, size histogram, queueing delay), the storage requests sent and the results written, as running totals.
/// </summary>
public sealed partial class MetricsReport(MetricsAggregator metrics, EncoderBatcher encoder, CaptionBatcher decoder, ILogger<MetricsReport> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogSettings(encoder.ExecutionProvider, encoder.Settings.MaxBatch, encoder.Settings.MaxDelay.TotalMilliseconds, decoder.Settings.MaxBatch, decoder.Settings.MaxDelay.TotalMilliseconds);
        using var timer = new PeriodicTimer(Interval);
        long reported = -1;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var snapshot = metrics.Snapshot();
            var work = snapshot.StorageRequestsTotal + snapshot.Batches.Values.Sum(b => b.Items) + snapshot.ResultsWritten.Values.Sum();
            if (work == reported)
            {
                continue;
            }

            reported = work;
            foreach (var (stage, totals) in snapshot.Batches)
            {
                LogStage(stage, totals.Batches, totals.Items, totals.MeanBatch, string.Join(' ', totals.Sizes.Select(s => $"{s.Key}:{s.Value}")), totals.MeanQueueDelayMs, totals.MaxQueueDelayMs);
            }

            LogRequests(snapshot.StorageRequestsTotal, Pairs(snapshot.StorageRequests), Pairs(snapshot.ResultsWritten));
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Batching on {Provider}: encoder up to {EncoderBatch} images waiting up to {EncoderDelayMs} ms; decoder up to {DecoderBatch} waiting up to {DecoderDelayMs} ms")]
    private partial void LogSettings(string provider, int encoderBatch, double encoderDelayMs, int decoderBatch, double decoderDelayMs);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Batches {Stage}: {Batches} batches of {Items} items, mean {MeanBatch}, sizes {Sizes}, queueing mean {MeanDelayMs} ms, max {MaxDelayMs} ms")]
    private partial void LogStage(string stage, long batches, long items, double meanBatch, string sizes, double meanDelayMs, double maxDelayMs);

    private static string Pairs(IReadOnlyDictionary<string, long> counts) =>
        string.Join(' ', counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}:{c.Value}")));

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Storage requests: {Total} ({ByOperation}); results written: {Results}")]
    private partial void LogRequests(long total, string byOperation, string results);
}
