using Azure;
using Captioner.Core.Resilience;

namespace Captioner.Core.Tests.Resilience;

public class StorageResilienceTests
{
    [Theory]
    [InlineData(429, true)]
    [InlineData(503, true)]
    [InlineData(500, true)]
    [InlineData(408, true)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(412, false)]
    [InlineData(400, false)]
    public void Only_transient_storage_statuses_are_retried(int status, bool transient)
    {
        Assert.Equal(transient, StorageResilience.IsTransient(new RequestFailedException(status, "x")));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_until_it_succeeds()
    {
        var pipeline = StorageResilience.Create(attempts: 4, firstDelay: TimeSpan.FromMilliseconds(1));
        var calls = 0;

        var result = await pipeline.ExecuteAsync(_ => ++calls < 3 ? throw new RequestFailedException(503, "busy") : ValueTask.FromResult(calls));

        Assert.Equal(3, result);
    }

    [Fact]
    public async Task A_deterministic_failure_is_not_retried()
    {
        var pipeline = StorageResilience.Create(attempts: 4, firstDelay: TimeSpan.FromMilliseconds(1));
        var calls = 0;

        await Assert.ThrowsAsync<RequestFailedException>(async () => await pipeline.ExecuteAsync<int>(_ => { calls++; throw new RequestFailedException(404, "gone"); }));

        Assert.Equal(1, calls);
    }
}
