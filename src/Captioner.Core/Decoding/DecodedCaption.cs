namespace Captioner.Core.Decoding;

/// <summary>A caption with its log-probability under the model and, for beam search, its normalised score.</summary>
public sealed record CaptionHypothesis(string Caption, IReadOnlyList<int> Tokens, double LogProbability, double Score);

/// <summary>The chosen caption of one image and, with beam search, the n best.</summary>
public sealed record DecodedCaption(string Caption, double LogProbability, IReadOnlyList<CaptionHypothesis> NBest);
