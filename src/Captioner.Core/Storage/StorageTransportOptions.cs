using Azure.Core;

namespace Captioner.Core.Storage;

/// <summary>
/// How the app's storage clients retry a failed request (<c>Captioner:Storage</c>). This is the one layer that
/// retries transient request failures (503 ServerBusy, 500, 408, 429, dropped connections, timeouts): the SDK
/// does it per request, for every call alike, honouring Retry-After. Above it, Polly pipelines only re-run
/// operations that lost an optimistic-concurrency race (<see cref="Resilience.StorageResilience"/>), and a
/// message whose handler still failed is delivered again by its queue (five times, then poison).
/// </summary>
public sealed class StorageTransportOptions
{
    public const string Section = "Captioner:Storage";

    /// <summary>Retries after the first try (exponential back-off with jitter).</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first back-off; it doubles per retry up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long one try may wait for the service before it counts as failed (the SDK's default is 100 s).</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first thing wrong with these settings, or null.</summary>
    public string? Problem() =>
        MaxRetries is < 0 or > 10 ? $"{Section}:MaxRetries must be 0 to 10, not {MaxRetries}."
        : RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay ? $"{Section}:RetryDelay must be positive and at most MaxRetryDelay."
        : NetworkTimeout < TimeSpan.FromSeconds(1) || NetworkTimeout > TimeSpan.FromMinutes(10) ? $"{Section}:NetworkTimeout must be 1 second to 10 minutes, not {NetworkTimeout}."
        : null;

    internal T Apply<T>(T options)
        where T : ClientOptions
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = RetryDelay;
        options.Retry.MaxDelay = MaxRetryDelay;
        options.Retry.NetworkTimeout = NetworkTimeout;
        return options;
    }
}
