namespace Captioner.Core.Batching;

/// <summary>
/// Dynamic batching of the networks (configuration <c>Captioner:Batching:Encoder</c> and <c>:Decoder</c>,
/// each with <c>MaxBatch</c> and <c>MaxDelay</c>). Unset values take defaults for the device: measured on
/// a 2-core CPU (see docs/performance.md, "Throughput"); the CUDA ones are chosen from the design, not measured here.
/// </summary>
public sealed class BatchingOptions
{
    public StageBatching Encoder { get; set; } = new();

    public StageBatching Decoder { get; set; } = new();

    /// <summary>The encoder's settings on CUDA or the CPU.</summary>
    public BatchSettings EncoderSettings(bool cuda) =>
        Encoder.Resolve(cuda ? 64 : 32, cuda ? TimeSpan.FromMilliseconds(5) : TimeSpan.FromMilliseconds(50));

    /// <summary>The decoder's settings on CUDA or the CPU.</summary>
    public BatchSettings DecoderSettings(bool cuda) =>
        Decoder.Resolve(cuda ? 128 : 64, cuda ? TimeSpan.FromMilliseconds(5) : TimeSpan.FromMilliseconds(20));
}

/// <summary>One stage's batching; null means the device default.</summary>
public sealed class StageBatching
{
    /// <summary>Most images per network call.</summary>
    public int? MaxBatch { get; set; }

    /// <summary>Longest an image waits for its batch to fill.</summary>
    public TimeSpan? MaxDelay { get; set; }

    internal BatchSettings Resolve(int maxBatch, TimeSpan maxDelay) => new(MaxBatch ?? maxBatch, MaxDelay ?? maxDelay);
}
