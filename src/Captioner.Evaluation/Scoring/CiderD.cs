using Captioner.Core.Scoring;

namespace Captioner.Evaluation.Scoring;

/// <summary>
/// CIDEr-D as in the COCO caption evaluation: n = 1..4 tf-idf vectors with document frequencies over
/// the reference sets, candidate counts clipped at the reference's, a Gaussian length penalty
/// (sigma 6, on the bigram counts as the reference code measures length), averaged over n and
/// references, times 10. A scorer is built once over a reference corpus (its document frequencies and
/// reference vectors) and scores any number of candidates: corpus evaluation averages over the images;
/// self-critical training scores each sampled caption against its image's references.
/// </summary>
public sealed class CiderD
{
    private const int MaxN = CiderDFormula.MaxN;

    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly List<List<TfIdf>> _references;
    private readonly double _logImages;

    /// <summary>Builds the scorer over <paramref name="references"/>: several tokenised captions per image.</summary>
    public CiderD(IReadOnlyList<IReadOnlyList<string[]>> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        var referenceCounts = references.Select(set => set.Select(tokens => NGramCounts.Of(tokens, MaxN)).ToList()).ToList();
        foreach (var set in referenceCounts)
        {
            foreach (var gram in set.SelectMany(counts => counts.Keys).Distinct(StringComparer.Ordinal))
            {
                _documentFrequency[gram] = _documentFrequency.GetValueOrDefault(gram) + 1;
            }
        }

        _logImages = Math.Log(Math.Max(1, references.Count));
        _references = [.. referenceCounts.Select(set => set.Select(Vector).ToList())];
    }

    /// <summary>CIDEr-D of tokenised candidates (one per image) against tokenised references.</summary>
    public static double Corpus(IReadOnlyList<string[]> candidates, IReadOnlyList<IReadOnlyList<string[]>> references)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates.Count == 0 ? 0 : new CiderD(references).Mean(candidates);
    }

    /// <summary>The mean score of one candidate per image, in the corpus's image order.</summary>
    public double Mean(IReadOnlyList<string[]> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        double total = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            total += Score(i, candidates[i]);
        }

        return total / candidates.Count;
    }

    /// <summary>The score of <paramref name="candidate"/> as a caption of image <paramref name="image"/> of the corpus.</summary>
    public double Score(int image, IReadOnlyList<string> candidate)
    {
        var references = _references[image];
        if (references.Count == 0)
        {
            return 0;
        }

        var vector = Vector(NGramCounts.Of(candidate, MaxN));
        double score = 0;
        foreach (var reference in references)
        {
            score += Similarity(vector, reference);
        }

        return score / references.Count * 10.0;
    }

    private TfIdf Vector(Dictionary<string, int> counts)
    {
        var weights = new Dictionary<string, double>(counts.Count, StringComparer.Ordinal);
        var norms = new double[MaxN];
        var length = 0;
        foreach (var (gram, count) in counts)
        {
            var n = NGramCounts.Order(gram);
            var weight = count * (_logImages - Math.Log(Math.Max(1.0, _documentFrequency.GetValueOrDefault(gram))));
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

    /// <summary>The mean over n of the clipped, length-penalised cosine similarities.</summary>
    private static double Similarity(TfIdf candidate, TfIdf reference)
    {
        Span<double> values = stackalloc double[MaxN];
        foreach (var (gram, weight) in candidate.Weights)
        {
            if (reference.Weights.TryGetValue(gram, out var referenceWeight))
            {
                values[NGramCounts.Order(gram) - 1] += Math.Min(weight, referenceWeight) * referenceWeight;
            }
        }

        return CiderDFormula.Similarity(values, candidate.Norms, reference.Norms, candidate.Length, reference.Length);
    }

    private sealed record TfIdf(Dictionary<string, double> Weights, double[] Norms, int Length);
}
