namespace Captioner.Core.Evaluation;

/// <summary>
/// CIDEr-D as in the COCO caption evaluation: n = 1..4 tf-idf vectors with document frequencies over
/// the reference sets, candidate counts clipped at the reference's, a Gaussian length penalty
/// (sigma 6, on the bigram counts as the reference code measures length), averaged over n and
/// references, times 10, averaged over images.
/// </summary>
public static class CiderD
{
    private const int MaxN = 4;
    private const double Sigma = 6.0;

    /// <summary>CIDEr-D of tokenised candidates against tokenised references.</summary>
    public static double Corpus(IReadOnlyList<string[]> candidates, IReadOnlyList<IReadOnlyList<string[]>> references)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(references);
        if (candidates.Count == 0)
        {
            return 0;
        }

        var referenceCounts = references.Select(set => set.Select(tokens => NGramCounts.Of(tokens, MaxN)).ToList()).ToList();
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var set in referenceCounts)
        {
            foreach (var gram in set.SelectMany(counts => counts.Keys).Distinct(StringComparer.Ordinal))
            {
                documentFrequency[gram] = documentFrequency.GetValueOrDefault(gram) + 1;
            }
        }

        var logImages = Math.Log(candidates.Count);
        double total = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = Vector(NGramCounts.Of(candidates[i], MaxN), documentFrequency, logImages);
            double score = 0;
            foreach (var referenceCount in referenceCounts[i])
            {
                score += Similarity(candidate, Vector(referenceCount, documentFrequency, logImages)).Average();
            }

            total += referenceCounts[i].Count == 0 ? 0 : score / referenceCounts[i].Count * 10.0;
        }

        return total / candidates.Count;
    }

    private static TfIdf Vector(Dictionary<string, int> counts, Dictionary<string, int> documentFrequency, double logImages)
    {
        var weights = new Dictionary<string, double>(counts.Count, StringComparer.Ordinal);
        var norms = new double[MaxN];
        var length = 0;
        foreach (var (gram, count) in counts)
        {
            var n = NGramCounts.Order(gram);
            var weight = count * (logImages - Math.Log(Math.Max(1.0, documentFrequency.GetValueOrDefault(gram))));
            weights[gram] = weight;
            norms[n - 1] += weight * weight;
            if (n == 2)
            {
                length += count;
            }
        }

        for (var n = 0; n < MaxN; n++)
        {
            norms[n] = Math.Sqrt(norms[n]);
        }

        return new TfIdf(weights, norms, length);
    }

    private static double[] Similarity(TfIdf candidate, TfIdf reference)
    {
        var delta = candidate.Length - reference.Length;
        var penalty = Math.Exp(-(delta * delta) / (2 * Sigma * Sigma));
        var values = new double[MaxN];
        foreach (var (gram, weight) in candidate.Weights)
        {
            if (reference.Weights.TryGetValue(gram, out var referenceWeight))
            {
                values[NGramCounts.Order(gram) - 1] += Math.Min(weight, referenceWeight) * referenceWeight;
            }
        }

        for (var n = 0; n < MaxN; n++)
        {
            if (candidate.Norms[n] != 0 && reference.Norms[n] != 0)
            {
                values[n] /= candidate.Norms[n] * reference.Norms[n];
            }

            values[n] *= penalty;
        }

        return values;
    }

    private sealed record TfIdf(Dictionary<string, double> Weights, double[] Norms, int Length);
}
