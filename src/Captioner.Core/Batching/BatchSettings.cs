namespace Captioner.Core.Batching;

/// <summary>How a dynamic batcher fills its batches: at most <see cref="MaxBatch"/> items, waiting at most <see cref="MaxDelay"/> for them.</summary>
public sealed record BatchSettings
{
    public BatchSettings(int maxBatch, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero);
        MaxBatch = maxBatch;
        MaxDelay = maxDelay;
    }

    /// <summary>Most items in one batch.</summary>
    public int MaxBatch { get; }

    /// <summary>Longest an item waits, from its arrival, for its batch to fill (a busy batcher may keep it longer).</summary>
    public TimeSpan MaxDelay { get; }
}
