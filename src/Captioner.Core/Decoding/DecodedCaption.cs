namespace Captioner.Core.Decoding;

/// <summary>
/// A caption with its log-probability under the model and, for beam search, its normalised score. Soft-attention
/// decoders also give, for each word, the attention weights over the 49 image regions the step that chose it used.
/// </summary>
public sealed record CaptionHypothesis(string Caption, IReadOnlyList<int> Tokens, double LogProbability, double Score)
{
    /// <summary>One [49] weight vector per word (row-major 7x7 grid), or null for decoders without attention.</summary>
    public IReadOnlyList<float[]>? Attention { get; init; }

    /// <summary>Each chosen token's log-probability: one per word, then the end token's (words given to begin with included).</summary>
    public IReadOnlyList<float> WordLogProbabilities { get; init; } = [];
}

/// <summary>The chosen caption of one image and, with beam search, the n best.</summary>
public sealed record DecodedCaption(string Caption, double LogProbability, IReadOnlyList<CaptionHypothesis> NBest)
{
    /// <summary>The chosen caption's attention weights per word (attention decoders only; an adaptive decoder's sum to one minus its sentinel's share).</summary>
    public IReadOnlyList<float[]>? Attention => NBest.Count > 0 ? NBest[0].Attention : null;
}
