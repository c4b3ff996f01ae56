using Azure;
using Polly;
using Polly.Retry;

namespace Captioner.Core.Resilience;

/// <summary>
/// The Polly pipeline around storage operations: retries transient failures (throttling, timeouts,
/// server errors, dropped connections) with jittered exponential back-off. Deterministic failures
/// (not found, conflict, bad request) are not retried.
/// </summary>
public static class StorageResilience
{
    /// <summary>A pipeline with <paramref name="attempts"/> retries starting at <paramref name="firstDelay"/>.</summary>
    public static ResiliencePipeline Create(int attempts = 4, TimeSpan? firstDelay = null) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = attempts,
                Delay = firstDelay ?? TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            })
            .Build();

    /// <summary>Whether a failure is worth retrying.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };
}
