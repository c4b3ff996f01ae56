using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Captioner.Core.Telemetry;

/// <summary>
/// Listens to <see cref="CaptionerMetrics"/> in-process and keeps running totals: batches per stage (with
/// a histogram of sizes and the queueing delay), storage requests per operation and results written per status. What the local
/// host serves at <c>/api/metrics</c> and what the hosts log; exporters see the raw instruments.
/// </summary>
public sealed class MetricsAggregator : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, StageTotals> _stages = new();
    private readonly ConcurrentDictionary<string, long> _requests = new();
    private readonly ConcurrentDictionary<string, long> _results = new();

    public MetricsAggregator()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (CaptionerMetrics.Owns(instrument))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (instrument.Name == CaptionerMetrics.BatchSize)
            {
                Stage(tags).AddBatch(value);
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == CaptionerMetrics.QueueDelay)
            {
                Stage(tags).AddDelay(value);
            }
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var (totals, tag) = instrument.Name switch
            {
                CaptionerMetrics.StorageRequests => (_requests, "operation"),
                CaptionerMetrics.ResultsWritten => (_results, "status"),
                CaptionerMetrics.UnsureResultsWritten => (_results, string.Empty),
                _ => (null, string.Empty),
            };

            // Unsure results are a subset of the succeeded ones, kept under their own key beside the statuses.
            totals?.AddOrUpdate(tag.Length == 0 ? "unsure" : Tag(tags, tag), value, (_, total) => total + value);
        });
        _listener.Start();
    }

    /// <summary>Totals since the process started.</summary>
    public MetricsSnapshot Snapshot() => new(
        _stages.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value.Snapshot()),
        _requests.OrderBy(r => r.Key, StringComparer.Ordinal).ToDictionary(r => r.Key, r => r.Value),
        _requests.Values.Sum(),
        _results.OrderBy(r => r.Key, StringComparer.Ordinal).ToDictionary(r => r.Key, r => r.Value));

    public void Dispose() => _listener.Dispose();

    private StageTotals Stage(ReadOnlySpan<KeyValuePair<string, object?>> tags) => _stages.GetOrAdd(Tag(tags, "stage"), _ => new StageTotals());

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString() ?? string.Empty;
            }
        }

        return string.Empty;
    }

    private sealed class StageTotals
    {
        private readonly object _gate = new();
        private readonly SortedDictionary<int, long> _sizes = [];
        private long _batches;
        private long _items;
        private long _delays;
        private double _delaySum;
        private double _delayMax;

        public void AddBatch(int size)
        {
            lock (_gate)
            {
                _batches++;
                _items += size;
                _sizes[size] = _sizes.GetValueOrDefault(size) + 1;
            }
        }

        public void AddDelay(double milliseconds)
        {
            lock (_gate)
            {
                _delays++;
                _delaySum += milliseconds;
                _delayMax = Math.Max(_delayMax, milliseconds);
            }
        }

        public BatchStageSnapshot Snapshot()
        {
            lock (_gate)
            {
                return new BatchStageSnapshot(
                    _batches,
                    _items,
                    _batches == 0 ? 0 : Math.Round((double)_items / _batches, 2),
                    _sizes.ToDictionary(s => s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Value),
                    _delays == 0 ? 0 : Math.Round(_delaySum / _delays, 1),
                    Math.Round(_delayMax, 1));
            }
        }
    }
}

/// <summary>Running totals of the app's metrics.</summary>
public sealed record MetricsSnapshot(IReadOnlyDictionary<string, BatchStageSnapshot> Batches, IReadOnlyDictionary<string, long> StorageRequests, long StorageRequestsTotal, IReadOnlyDictionary<string, long> ResultsWritten);

/// <summary>One batching stage: batches run, items in them, mean size, sizes seen (size -> batches), queueing delay.</summary>
public sealed record BatchStageSnapshot(long Batches, long Items, double MeanBatch, IReadOnlyDictionary<string, long> Sizes, double MeanQueueDelayMs, double MaxQueueDelayMs);
