namespace Captioner.Core.Decoding;

/// <summary>Picks a row's next word: the arg-max (greedy), or a draw from softmax(logp / T) over all or the top k words.</summary>
internal sealed class NextWordChooser
{
    private readonly DecodingOptions _options;
    private readonly Random _random;
    private readonly int[] _topTokens;
    private readonly float[] _topScores;

    public NextWordChooser(int vocabularySize, DecodingOptions options, Random random)
    {
        _options = options;
        _random = random;
        var k = options.TopK > 0 ? Math.Min(options.TopK, vocabularySize) : 0;
        _topTokens = new int[k];
        _topScores = new float[k];
    }

    public int Choose(ReadOnlySpan<float> logProbabilities)
    {
        if (_options.Mode == DecodingMode.Greedy)
        {
            return ArgMax(logProbabilities);
        }

        return _topTokens.Length > 0 ? SampleTopK(logProbabilities) : SampleAll(logProbabilities);
    }

    private int ArgMax(ReadOnlySpan<float> scores)
    {
        var best = -1;
        var bestScore = float.NegativeInfinity;
        for (var token = 0; token < scores.Length; token++)
        {
            if (scores[token] > bestScore && CaptionDecoder.IsEmittable(token, _options))
            {
                best = token;
                bestScore = scores[token];
            }
        }

        return best;
    }

    private int SampleAll(ReadOnlySpan<float> scores)
    {
        // softmax(logp / T) is proportional to exp((logp - max) / T); subtracting the max keeps exp finite.
        var inverseT = 1.0 / _options.Temperature;
        var max = scores[ArgMax(scores)];
        double total = 0;
        for (var token = 0; token < scores.Length; token++)
        {
            if (CaptionDecoder.IsEmittable(token, _options))
            {
                total += Math.Exp((scores[token] - max) * inverseT);
            }
        }

        var draw = _random.NextDouble() * total;
        var last = -1;
        for (var token = 0; token < scores.Length; token++)
        {
            if (!CaptionDecoder.IsEmittable(token, _options))
            {
                continue;
            }

            last = token;
            draw -= Math.Exp((scores[token] - max) * inverseT);
            if (draw <= 0)
            {
                return token;
            }
        }

        return last;
    }

    private int SampleTopK(ReadOnlySpan<float> scores)
    {
        var kept = TopTokens.Select(scores, _topTokens, _topScores, _options);
        var inverseT = 1.0 / _options.Temperature;
        double total = 0;
        for (var i = 0; i < kept; i++)
        {
            total += Math.Exp((_topScores[i] - _topScores[0]) * inverseT);
        }

        var draw = _random.NextDouble() * total;
        for (var i = 0; i < kept; i++)
        {
            draw -= Math.Exp((_topScores[i] - _topScores[0]) * inverseT);
            if (draw <= 0)
            {
                return _topTokens[i];
            }
        }

        return _topTokens[kept - 1];
    }
}
