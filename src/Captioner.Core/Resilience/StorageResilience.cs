using Azure;
using Captioner.Core.Pipeline;
using Polly;
using Polly.Retry;

namespace Captioner.Core.Resilience;

/// <summary>
/// The Polly pipeline around storage operations that read, decide and write under a condition: it runs the
/// whole operation again when another writer got there between its read and its write (412 on an ETag
/// condition, or a result that changed meanwhile). Transient request failures (throttling, timeouts, server
/// errors, dropped connections) are not retried here: the SDK already retries each request
/// (<see cref="Storage.StorageTransportOptions"/>), and a second layer would multiply the attempts and the wait
/// during an outage. What fails after that fails the message, which its queue delivers again.
/// </summary>
public static class StorageResilience
{
    /// <summary>A pipeline with <paramref name="attempts"/> retries starting at <paramref name="firstDelay"/>, capped at a second.</summary>
    public static ResiliencePipeline Create(int attempts = 20, TimeSpan? firstDelay = null) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = attempts,
                Delay = firstDelay ?? TimeSpan.FromMilliseconds(20),
                BackoffType = DelayBackoffType.Exponential,
                MaxDelay = TimeSpan.FromSeconds(1),
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsConflict),
            })
            .Build();

    /// <summary>Whether an operation lost an optimistic-concurrency race, so running it again can succeed.</summary>
    public static bool IsConflict(Exception exception) => exception is RequestFailedException { Status: 412 } or ConcurrentResultException;
}
