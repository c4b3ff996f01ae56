namespace Captioner.Evaluation.Confidence;

/// <summary>Rank statistics of a score: Spearman correlation, AUROC, percentiles.</summary>
public static class RankStatistics
{
    /// <summary>Spearman's rank correlation (Pearson on average ranks, ties shared).</summary>
    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var ra = Ranks(a);
        var rb = Ranks(b);
        double meanA = ra.Average(), meanB = rb.Average(), cov = 0, varA = 0, varB = 0;
        for (var i = 0; i < ra.Length; i++)
        {
            cov += (ra[i] - meanA) * (rb[i] - meanB);
            varA += (ra[i] - meanA) * (ra[i] - meanA);
            varB += (rb[i] - meanB) * (rb[i] - meanB);
        }

        return varA == 0 || varB == 0 ? 0 : cov / Math.Sqrt(varA * varB);
    }

    /// <summary>The probability that a random member of <paramref name="higher"/> scores above one of <paramref name="lower"/> (ties count half).</summary>
    public static double Auroc(IReadOnlyList<double> higher, IReadOnlyList<double> lower)
    {
        ArgumentNullException.ThrowIfNull(higher);
        ArgumentNullException.ThrowIfNull(lower);
        var ranks = Ranks([.. higher, .. lower]);
        var sum = ranks.Take(higher.Count).Sum();
        return (sum - (higher.Count * (higher.Count + 1) / 2.0)) / ((double)higher.Count * lower.Count);
    }

    /// <summary>The <paramref name="percent"/>-th percentile, linearly interpolated between order statistics.</summary>
    public static double Percentile(IReadOnlyList<double> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        var position = percent / 100.0 * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    /// <summary>1-based ranks, ties given their average rank.</summary>
    private static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            for (var i = start; i <= end; i++)
            {
                ranks[order[i]] = ((start + end) / 2.0) + 1;
            }

            start = end + 1;
        }

        return ranks;
    }
}
