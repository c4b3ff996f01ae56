namespace Captioner.Core.Scoring;

/// <summary>
/// The CIDEr-D formula's constants and its last step, shared by the evaluation's scorer and the workers' consensus
/// signal: n = 1..4, and the similarity of a candidate to one reference from their per-order clipped dot products.
/// </summary>
public static class CiderDFormula
{
    /// <summary>The longest n-gram.</summary>
    public const int MaxN = 4;

    /// <summary>The Gaussian length penalty's sigma, on bigram counts as the reference code measures length.</summary>
    public const double Sigma = 6.0;

    /// <summary>
    /// The mean over n of the clipped dot products <paramref name="dots"/> (sum of min(candidate, reference) x reference
    /// weight per order), each divided by the two vectors' norms of that order, times the length penalty.
    /// </summary>
    public static double Similarity(Span<double> dots, ReadOnlySpan<double> candidateNorms, ReadOnlySpan<double> referenceNorms, int candidateLength, int referenceLength)
    {
        var delta = candidateLength - referenceLength;
        var penalty = Math.Exp(-(delta * delta) / (2 * Sigma * Sigma));
        double mean = 0;
        for (var n = 0; n < MaxN; n++)
        {
            if (candidateNorms[n] != 0 && referenceNorms[n] != 0)
            {
                dots[n] /= candidateNorms[n] * referenceNorms[n];
            }

            mean += dots[n] * penalty;
        }

        return mean / MaxN;
    }
}
