namespace Captioner.Core.Decoding;

/// <summary>Finds a row's best emittable tokens: one scan of the vocabulary into a small sorted buffer (k is small).</summary>
internal static class TopTokens
{
    /// <summary>Fills <paramref name="tokens"/> and <paramref name="scores"/> with the best tokens, best first; returns how many.</summary>
    public static int Select(ReadOnlySpan<float> logProbabilities, int[] tokens, float[] scores, DecodingOptions options)
    {
        var kept = 0;
        for (var token = 0; token < logProbabilities.Length; token++)
        {
            if (!CaptionDecoder.IsEmittable(token, options))
            {
                continue;
            }

            var score = logProbabilities[token];
            if (kept == tokens.Length && score <= scores[kept - 1])
            {
                continue;
            }

            var position = kept == tokens.Length ? kept - 1 : kept++;
            while (position > 0 && scores[position - 1] < score)
            {
                scores[position] = scores[position - 1];
                tokens[position] = tokens[position - 1];
                position--;
            }

            scores[position] = score;
            tokens[position] = token;
        }

        return kept;
    }
}
