namespace Captioner.Core.Models;

/// <summary>The decoder kinds a model folder can hold (<see cref="DecoderSpec.Kind"/>).</summary>
public static class DecoderKinds
{
    /// <summary>Show and tell: pooled features -> initial LSTM state; the step sees only the words.</summary>
    public const string ShowAndTell = "show-and-tell";

    /// <summary>Soft attention over the 49 image regions at every step (Show, Attend and Tell).</summary>
    public const string SoftAttention = "soft-attention";

    /// <summary>
    /// Adaptive attention with a visual sentinel (Knowing When to Look, Lu et al. 2017): the step may weigh a
    /// sentinel from the LSTM's memory instead of the regions; its region weights then sum to less than one.
    /// </summary>
    public const string AdaptiveAttention = "adaptive-attention";

    /// <summary>Every kind, for validation and messages.</summary>
    public static IReadOnlyList<string> All { get; } = [ShowAndTell, SoftAttention, AdaptiveAttention];

    /// <summary>True for the kinds that read the region map (the attention kinds; one graph interface).</summary>
    public static bool ReadsMap(string kind) => kind is SoftAttention or AdaptiveAttention;
}
