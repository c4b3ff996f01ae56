using Azure;
using Captioner.Core.Pipeline;
using Captioner.Core.Resilience;

namespace Captioner.Core.Tests.Resilience;

public class StorageResilienceTests
{
    [Theory]
    [InlineData(412, true)]
    [InlineData(503, false)]
    [InlineData(500, false)]
    [InlineData(408, false)]
    [InlineData(429, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(400, false)]
    public void Only_a_lost_concurrency_race_is_retried_as_an_operation_transient_statuses_are_the_sdks(int status, bool retried)
    {
        Assert.Equal(retried, StorageResilience.IsConflict(new RequestFailedException(status, "x")));
    }

    [Fact]
    public async Task An_operation_that_lost_a_race_runs_again_until_it_succeeds()
    {
        var pipeline = StorageResilience.Create(attempts: 4, firstDelay: TimeSpan.FromMilliseconds(1));
        var calls = 0;

        var result = await pipeline.ExecuteAsync(_ => ++calls switch
        {
            1 => throw new RequestFailedException(412, "condition not met"),
            2 => throw new ConcurrentResultException("changed"),
            _ => ValueTask.FromResult(calls),
        });

        Assert.Equal(3, result);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(404)]
    public async Task A_transient_or_deterministic_failure_is_not_run_again_by_the_pipeline(int status)
    {
        var pipeline = StorageResilience.Create(attempts: 4, firstDelay: TimeSpan.FromMilliseconds(1));
        var calls = 0;

        await Assert.ThrowsAsync<RequestFailedException>(async () => await pipeline.ExecuteAsync<int>(_ => { calls++; throw new RequestFailedException(status, "no"); }));

        Assert.Equal(1, calls);
    }
}
