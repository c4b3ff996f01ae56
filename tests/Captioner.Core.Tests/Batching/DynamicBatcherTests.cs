using System.Collections.Concurrent;
using Captioner.Core.Batching;
using Microsoft.Extensions.Time.Testing;

namespace Captioner.Core.Tests.Batching;

public sealed class DynamicBatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Items_arriving_together_fill_batches_up_to_the_maximum_without_waiting_for_the_delay()
    {
        var time = new FakeTimeProvider();
        var seen = new ConcurrentQueue<int[]>();
        await using var batcher = new DynamicBatcher<int, int>("test-fill", new BatchSettings(4, TimeSpan.FromHours(1)), Echo(seen), time: time);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => batcher.SubmitAsync(i))).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 8).Select(i => i * 10), results);
        Assert.Equal([4, 4], seen.Select(b => b.Length));
    }

    [Fact]
    public async Task A_lone_item_runs_when_the_delay_has_passed_and_not_before()
    {
        var time = new FakeTimeProvider();
        var seen = new ConcurrentQueue<int[]>();
        await using var batcher = new DynamicBatcher<int, int>("test-delay", new BatchSettings(16, TimeSpan.FromMilliseconds(100)), Echo(seen), time: time);

        var result = batcher.SubmitAsync(7);
        await Task.Delay(100);
        time.Advance(TimeSpan.FromMilliseconds(99));
        await Task.Delay(100);
        Assert.False(result.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(70, await result.WaitAsync(Patience));
        Assert.Equal([1], seen.Select(b => b.Length));
    }

    [Fact]
    public async Task One_failing_item_fails_alone_and_the_rest_of_its_batch_succeeds()
    {
        var seen = new ConcurrentQueue<int[]>();
        await using var batcher = new DynamicBatcher<int, int>("test-failure", new BatchSettings(3, TimeSpan.FromHours(1)), (items, _) =>
        {
            seen.Enqueue([.. items]);
            return items.Contains(-1) ? throw new InvalidOperationException("bad item") : Task.FromResult<IReadOnlyList<int>>([.. items.Select(i => i * 10)]);
        });

        var good = batcher.SubmitAsync(1);
        var bad = batcher.SubmitAsync(-1);
        var alsoGood = batcher.SubmitAsync(2);

        Assert.Equal(10, await good.WaitAsync(Patience));
        Assert.Equal(20, await alsoGood.WaitAsync(Patience));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bad.WaitAsync(Patience));
        Assert.Equal("bad item", error.Message);
        Assert.Equal([3, 1, 1, 1], seen.Select(b => b.Length));
    }

    [Fact]
    public async Task A_cancelled_item_stops_its_caller_waiting_and_is_never_run()
    {
        var time = new FakeTimeProvider();
        var seen = new ConcurrentQueue<int[]>();
        await using var batcher = new DynamicBatcher<int, int>("test-cancel", new BatchSettings(2, TimeSpan.FromHours(1)), Echo(seen), time: time);
        using var cancellation = new CancellationTokenSource();

        var cancelled = batcher.SubmitAsync(1, cancellation.Token);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));

        var results = await Task.WhenAll(batcher.SubmitAsync(2), batcher.SubmitAsync(3)).WaitAsync(Patience);
        Assert.Equal([20, 30], results);
        Assert.Equal([[2, 3]], seen);
    }

    [Fact]
    public async Task Items_with_different_keys_never_share_a_batch()
    {
        var seen = new ConcurrentQueue<int[]>();
        await using var batcher = new DynamicBatcher<int, int>("test-keys", new BatchSettings(2, TimeSpan.FromMilliseconds(20)), Echo(seen), key: i => i % 2);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => batcher.SubmitAsync(i))).WaitAsync(Patience);

        Assert.All(seen, batch => Assert.Single(batch.Select(i => i % 2).Distinct()));
        Assert.Equal(6, seen.Sum(b => b.Length));
    }

    [Fact]
    public async Task Disposing_runs_what_is_queued()
    {
        var time = new FakeTimeProvider();
        var seen = new ConcurrentQueue<int[]>();
        var batcher = new DynamicBatcher<int, int>("test-dispose", new BatchSettings(8, TimeSpan.FromHours(1)), Echo(seen), time: time);
        var pending = batcher.SubmitAsync(5);

        await batcher.DisposeAsync();

        Assert.Equal(50, await pending.WaitAsync(Patience));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.SubmitAsync(6));
    }

    private static Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<int>>> Echo(ConcurrentQueue<int[]> seen) => (items, _) =>
    {
        seen.Enqueue([.. items]);
        return Task.FromResult<IReadOnlyList<int>>([.. items.Select(i => i * 10)]);
    };
}
