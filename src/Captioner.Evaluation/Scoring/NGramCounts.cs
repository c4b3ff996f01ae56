namespace Captioner.Evaluation.Scoring;

/// <summary>Counts of the 1..n-grams of a token sequence, keyed by the n-gram joined with spaces.</summary>
internal static class NGramCounts
{
    public static Dictionary<string, int> Of(IReadOnlyList<string> tokens, int maxN)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 1; n <= maxN; n++)
        {
            for (var start = 0; start + n <= tokens.Count; start++)
            {
                var key = string.Join(' ', tokens.Skip(start).Take(n));
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        return counts;
    }

    /// <summary>The order of an n-gram key.</summary>
    public static int Order(string key) => key.Count(c => c == ' ') + 1;
}
