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
public sealed class MetricsReport(MetricsAggregator metrics, EncoderBatcher encoder, CaptionBatcher decoder, ILogger<MetricsReport> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.BatchingSettings(encoder.ExecutionProvider, encoder.Settings.MaxBatch, encoder.Settings.MaxDelay.TotalMilliseconds, decoder.Settings.MaxBatch, decoder.Settings.MaxDelay.TotalMilliseconds);
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
            if (logger.IsEnabled(LogLevel.Information))
            {
                foreach (var (stage, totals) in snapshot.Batches)
                {
                    logger.BatchStage(stage, totals.Batches, totals.Items, totals.MeanBatch, string.Join(' ', totals.Sizes.Select(s => $"{s.Key}:{s.Value}")), totals.MeanQueueDelayMs, totals.MaxQueueDelayMs);
                }

                logger.StorageRequests(snapshot.StorageRequestsTotal, Pairs(snapshot.StorageRequests), Pairs(snapshot.ResultsWritten));
            }
        }
    }

    private static string Pairs(IReadOnlyDictionary<string, long> counts) =>
        string.Join(' ', counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}:{c.Value}")));
}
