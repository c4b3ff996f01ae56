using Captioner.Core.Vocabulary;

namespace Captioner.Evaluation.Scoring;

/// <summary>Corpus-level caption metrics on lower-cased, punctuation-free tokens.</summary>
public sealed record CaptionScores(double Bleu1, double Bleu2, double Bleu3, double Bleu4, double CiderD, int Images)
{
    /// <summary>Scores <paramref name="candidates"/> (one caption per image) against <paramref name="references"/> (several per image).</summary>
    public static CaptionScores Compute(IReadOnlyList<string> candidates, IReadOnlyList<IReadOnlyList<string>> references)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(references);
        if (candidates.Count != references.Count)
        {
            throw new ArgumentException("One candidate per image, with its references.", nameof(candidates));
        }

        var candidateTokens = candidates.Select(CaptionTokenizer.Tokenize).ToList();
        var referenceTokens = references.Select(set => (IReadOnlyList<string[]>)[.. set.Select(CaptionTokenizer.Tokenize)]).ToList();
        var bleu = Bleu.Corpus(candidateTokens, referenceTokens);
        var cider = Scoring.CiderD.Corpus(candidateTokens, referenceTokens);
        return new CaptionScores(bleu[0], bleu[1], bleu[2], bleu[3], cider, candidates.Count);
    }

    /// <summary>The line the CLI prints.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"BLEU-1 {Bleu1:F4} BLEU-2 {Bleu2:F4} BLEU-3 {Bleu3:F4} BLEU-4 {Bleu4:F4} CIDEr-D {CiderD:F4}");
}
