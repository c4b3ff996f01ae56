using Captioner.Core.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Captioner.Core.Tests.Resilience;

public sealed class PeriodicWorkTests
{
    [Fact]
    public async Task Any_failure_of_a_round_is_reported_and_the_next_round_runs_until_the_host_stops()
    {
        var time = new FakeTimeProvider();
        var failures = new List<Exception>();
        var rounds = 0;
        var thirdRound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopping = new CancellationTokenSource();
        Task Work(CancellationToken token)
        {
            rounds++;
            switch (rounds)
            {
                case 1:
                    throw new InvalidOperationException("a bug");
                case 2:
                    // A client timeout surfaces as a cancellation that is not the host's.
                    throw new TaskCanceledException("timed out");
                default:
                    thirdRound.TrySetResult();
                    return Task.CompletedTask;
            }
        }

        var loop = PeriodicWork.RunAsync(TimeSpan.FromSeconds(10), Work, failures.Add, stopping.Token, time);
        for (var tick = 0; tick < 2 && !thirdRound.Task.IsCompleted; tick++)
        {
            await Task.Delay(50);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        await thirdRound.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stopping.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["a bug", "timed out"], failures.Select(f => f.Message));
        Assert.True(loop.IsCompletedSuccessfully);
    }
}
