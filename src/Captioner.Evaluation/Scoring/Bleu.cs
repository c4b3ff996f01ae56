namespace Captioner.Evaluation.Scoring;

/// <summary>
/// Corpus BLEU-1..4 as the COCO caption evaluation computes it: clipped n-gram matches and candidate
/// n-grams summed over the corpus, reference length per sentence the one closest to the candidate's
/// (the shorter on a tie), one brevity penalty for the corpus.
/// </summary>
public static class Bleu
{
    private const int MaxN = 4;

    /// <summary>BLEU-1..4 of tokenised candidates against tokenised references.</summary>
    public static double[] Corpus(IReadOnlyList<string[]> candidates, IReadOnlyList<IReadOnlyList<string[]>> references)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(references);
        var matches = new double[MaxN];
        var totals = new double[MaxN];
        double candidateLength = 0, referenceLength = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            candidateLength += candidate.Length;
            referenceLength += ClosestLength(candidate.Length, references[i]);

            // The most times each n-gram appears in any one reference clips the candidate's count.
            var maxReferenceCounts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var reference in references[i])
            {
                foreach (var (gram, count) in NGramCounts.Of(reference, MaxN))
                {
                    maxReferenceCounts[gram] = Math.Max(maxReferenceCounts.GetValueOrDefault(gram), count);
                }
            }

            foreach (var (gram, count) in NGramCounts.Of(candidate, MaxN))
            {
                matches[NGramCounts.Order(gram) - 1] += Math.Min(count, maxReferenceCounts.GetValueOrDefault(gram));
            }

            for (var n = 1; n <= MaxN; n++)
            {
                totals[n - 1] += Math.Max(0, candidate.Length - n + 1);
            }
        }

        var brevity = candidateLength >= referenceLength || candidateLength == 0 ? 1.0 : Math.Exp(1 - (referenceLength / candidateLength));
        var scores = new double[MaxN];
        double logSum = 0;
        for (var n = 1; n <= MaxN; n++)
        {
            // The COCO scorer's tiny constants keep the log finite when nothing matched.
            logSum += Math.Log((matches[n - 1] + 1e-15) / (totals[n - 1] + 1e-9));
            scores[n - 1] = brevity * Math.Exp(logSum / n);
        }

        if (candidateLength == 0)
        {
            Array.Clear(scores);
        }

        return scores;
    }

    private static int ClosestLength(int length, IReadOnlyList<string[]> references)
    {
        var best = int.MaxValue;
        var bestDistance = int.MaxValue;
        foreach (var reference in references)
        {
            var distance = Math.Abs(reference.Length - length);
            if (distance < bestDistance || (distance == bestDistance && reference.Length < best))
            {
                best = reference.Length;
                bestDistance = distance;
            }
        }

        return best == int.MaxValue ? 0 : best;
    }
}
