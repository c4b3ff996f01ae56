using Captioner.Core.Pipeline;

namespace Captioner.Integration.Tests;

/// <summary>Bulk outcomes recorded by several instances at once, against Azurite.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class ShardedBulkProgressTests(AzuriteFixture azurite) : IDisposable
{
    private readonly PipelineHarness _pipeline = new(azurite);

    [Fact]
    public async Task Three_instances_recording_the_same_outcomes_twice_count_each_image_and_its_unsure_mark_once()
    {
        const int images = 600;
        await _pipeline.Bulk.StartAsync("job-shards", "images", string.Empty);
        await _pipeline.Bulk.RecordPageAsync("job-shards", 0, images, 0, last: true);
        var instances = Enumerable.Range(0, 3).Select(_ => new BulkProgress(_pipeline.Storage)).ToList();
        try
        {
            // Every image reported by two instances (a duplicated message), outcomes of all three kinds, every other done
            // image's caption unsure, all at once.
            var writes = Enumerable.Range(0, images).SelectMany(i => new[] { (i, instances[i % 3]), (i, instances[(i + 1) % 3]) })
                .Select(w => w.Item2.RecordAsync("job-shards", $"img/{w.i:D4}.jpg", (BulkItemStatus)(w.i % 3), unsure: Unsure(w.i)));
            await Task.WhenAll(writes);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }

        var status = await _pipeline.Bulk.GetAsync("job-shards");
        var expected = Enumerable.Range(0, images).GroupBy(i => (BulkItemStatus)(i % 3)).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal((expected[BulkItemStatus.Done], expected[BulkItemStatus.Skipped], expected[BulkItemStatus.Failed]), (status!.Done, status.Skipped, status.Failed));
        Assert.Equal(Enumerable.Range(0, images).Count(Unsure), status.Unsure);
        Assert.True(status.Completed);
    }

    private static bool Unsure(int image) => (BulkItemStatus)(image % 3) == BulkItemStatus.Done && image % 2 == 0;

    public void Dispose() => _pipeline.Dispose();
}
