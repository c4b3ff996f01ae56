using System.Diagnostics;
using Captioner.Core.Telemetry;

namespace Captioner.Core.Batching;

/// <summary>
/// Gathers items submitted concurrently into batches, as a dynamic batcher in an inference server does:
/// a batch runs when <see cref="BatchSettings.MaxBatch"/> items of one key wait, or when the oldest has
/// waited <see cref="BatchSettings.MaxDelay"/>. Batches run one at a time (the work they wrap uses the
/// whole machine). Items of different keys never share a batch. When a batch throws, its items are run
/// again one by one, so one bad item fails alone. A caller that cancels stops waiting at once; an item
/// cancelled before its batch starts is never run.
/// </summary>
public sealed class DynamicBatcher<TItem, TResult> : IAsyncDisposable
{
    private readonly string _stage;
    private readonly BatchSettings _settings;
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _run;
    private readonly Func<TItem, object?> _key;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly LinkedList<Entry> _pending = new();
    private readonly Task _worker;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopped;

    /// <param name="stage">Name for metrics (<c>encoder</c>, <c>decoder</c>...).</param>
    /// <param name="settings">Batch size and delay.</param>
    /// <param name="run">Runs one batch; returns one result per item, in order.</param>
    /// <param name="key">Items with equal keys may share a batch; null puts all together.</param>
    /// <param name="time">Clock (a fake one in tests).</param>
    public DynamicBatcher(string stage, BatchSettings settings, Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> run, Func<TItem, object?>? key = null, TimeProvider? time = null)
    {
        _stage = stage;
        _settings = settings;
        _run = run;
        _key = key ?? (_ => null);
        _time = time ?? TimeProvider.System;
        _worker = Task.Run(LoopAsync);
    }

    /// <summary>Queues <paramref name="item"/> for the next batch of its key; completes with its result.</summary>
    public Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entry = new Entry(item, _key(item), _time.GetTimestamp());
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            entry.Node = _pending.AddLast(entry);
            _arrived.TrySetResult();
        }

        if (cancellationToken.CanBeCanceled)
        {
            entry.Registration = cancellationToken.Register(() => Cancel(entry, cancellationToken));
        }

        return entry.Completion.Task;
    }

    /// <summary>Runs what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            _arrived.TrySetResult();
        }

        await _worker.ConfigureAwait(false);
    }

    private void Cancel(Entry entry, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (entry.Node?.List is not null)
            {
                _pending.Remove(entry.Node);
            }
        }

        entry.Completion.TrySetCanceled(cancellationToken);
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            List<Entry>? batch = null;
            Task arrived;
            var wait = Timeout.InfiniteTimeSpan;
            lock (_gate)
            {
                if (_pending.First is { } first)
                {
                    var age = _time.GetElapsedTime(first.Value.Arrived);
                    var sameKey = _pending.Where(e => Equals(e.Key, first.Value.Key)).Take(_settings.MaxBatch).ToList();
                    if (sameKey.Count >= _settings.MaxBatch || age >= _settings.MaxDelay || _stopped)
                    {
                        sameKey.ForEach(e => _pending.Remove(e.Node!));
                        batch = sameKey;
                    }
                    else
                    {
                        wait = _settings.MaxDelay - age;
                    }
                }
                else if (_stopped)
                {
                    return;
                }

                if (_arrived.Task.IsCompleted)
                {
                    _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                arrived = _arrived.Task;
            }

            if (batch is not null)
            {
                await RunAsync(batch).ConfigureAwait(false);
                continue;
            }

            if (wait == Timeout.InfiniteTimeSpan)
            {
                await arrived.ConfigureAwait(false);
                continue;
            }

            using var timer = new CancellationTokenSource();
            var delay = Task.Delay(wait, _time, timer.Token);
            await Task.WhenAny(arrived, delay).ConfigureAwait(false);
            await timer.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task RunAsync(List<Entry> batch)
    {
        var started = _time.GetTimestamp();
        CaptionerMetrics.RecordBatch(_stage, batch.Count, batch.Select(e => _time.GetElapsedTime(e.Arrived, started).TotalMilliseconds));
        try
        {
            var results = await _run([.. batch.Select(e => e.Item)], CancellationToken.None).ConfigureAwait(false);
            if (results.Count != batch.Count)
            {
                throw new InvalidOperationException($"The {_stage} batch returned {results.Count} results for {batch.Count} items.");
            }

            for (var i = 0; i < batch.Count; i++)
            {
                Complete(batch[i], results[i]);
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            // Find the culprit: each item again on its own.
            foreach (var entry in batch)
            {
                await RunAsync([entry]).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            batch[0].Registration.Dispose();
            batch[0].Completion.TrySetException(ex);
        }
    }

    private static void Complete(Entry entry, TResult result)
    {
        entry.Registration.Dispose();
        entry.Completion.TrySetResult(result);
    }

    private sealed class Entry(TItem item, object? key, long arrived)
    {
        public TItem Item { get; } = item;

        public object? Key { get; } = key;

        public long Arrived { get; } = arrived;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Entry>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
