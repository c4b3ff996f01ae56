using Captioner.Core.Pipeline;

namespace Captioner.Core.Tests.Pipeline;

public class BulkShardTests
{
    [Fact]
    public void Outcomes_of_similar_names_spread_over_every_shard()
    {
        var shards = Enumerable.Range(0, 2000).Select(i => BulkProgress.Shard($"2024/IMG_{i:D5}.jpg")).GroupBy(s => s).ToList();

        Assert.Equal(BulkProgress.Shards, shards.Count);
        Assert.All(shards, shard => Assert.InRange(shard.Count(), 170, 330));
    }
}
