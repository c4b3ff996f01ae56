namespace Captioner.Core.Models;

/// <summary>The decoder kinds a model folder can hold (<see cref="DecoderSpec.Kind"/>).</summary>
public static class DecoderKinds
{
    /// <summary>Show and tell: pooled features -> initial LSTM state; the step sees only the words.</summary>
    public const string ShowAndTell = "show-and-tell";

    /// <summary>Soft attention over the 49 image regions at every step (Show, Attend and Tell).</summary>
    public const string SoftAttention = "soft-attention";

    /// <summary>Every kind, for validation and messages.</summary>
    public static IReadOnlyList<string> All { get; } = [ShowAndTell, SoftAttention];
}
