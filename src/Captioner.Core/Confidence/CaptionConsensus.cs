namespace Captioner.Core.Confidence;

/// <summary>
/// CIDEr-D of a caption against the captions of chosen training photos, with the document frequencies of the whole
/// training set: the formula of the evaluation's CIDEr-D (n = 1..4 tf-idf, clipped counts, a Gaussian length penalty
/// on bigram counts with sigma 6, times 10), kept compact for a worker: n-grams are 64-bit keys of word ids, and a
/// reference caption's vector is built when it is read, so memory holds only word ids and one frequency table.
/// </summary>
internal sealed class CaptionConsensus
{
    private const int MaxN = 4;
    private const double Sigma = 6.0;

    private readonly Dictionary<string, int> _wordIds = new(StringComparer.Ordinal);
    private readonly int[][][] _captions;
    private readonly Dictionary<ulong, int> _documentFrequency = [];
    private readonly double _logPhotos;

    public CaptionConsensus(IReadOnlyList<IReadOnlyList<string>> captions)
    {
        _captions = new int[captions.Count][][];
        var seen = new HashSet<ulong>();
        for (var photo = 0; photo < captions.Count; photo++)
        {
            _captions[photo] = [.. captions[photo].Select(caption => caption.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Id).ToArray())];
            seen.Clear();
            foreach (var ids in _captions[photo])
            {
                ForEachGram(ids, (key, _) => seen.Add(key));
            }

            foreach (var key in seen)
            {
                _documentFrequency[key] = _documentFrequency.GetValueOrDefault(key) + 1;
            }
        }

        _logPhotos = Math.Log(Math.Max(1, captions.Count));
    }

    /// <summary>The mean over <paramref name="photos"/> of the caption's CIDEr-D against each photo's captions.</summary>
    public double Score(IReadOnlyList<string> words, ReadOnlySpan<int> photos)
    {
        // Words the training captions never use get ids of their own: they match nothing but count in the norms.
        var ids = new int[words.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = _wordIds.TryGetValue(words[i], out var id) ? id : _wordIds.Count + i;
        }

        var candidate = Vector(ids);
        var candidateWeights = new Dictionary<ulong, double>(candidate.Keys.Length);
        for (var i = 0; i < candidate.Keys.Length; i++)
        {
            candidateWeights[candidate.Keys[i]] = candidate.Weights[i];
        }

        double total = 0;
        foreach (var photo in photos)
        {
            double photoScore = 0;
            var references = _captions[photo];
            foreach (var reference in references)
            {
                photoScore += Similarity(candidate, candidateWeights, Vector(reference));
            }

            total += references.Length == 0 ? 0 : photoScore / references.Length * 10.0;
        }

        return photos.Length == 0 ? 0 : total / photos.Length;
    }

    private int Id(string word)
    {
        if (!_wordIds.TryGetValue(word, out var id))
        {
            id = _wordIds.Count;
            _wordIds[word] = id;
        }

        return id;
    }

    private TfIdf Vector(int[] ids)
    {
        var counts = new Dictionary<ulong, (int Order, int Count)>();
        ForEachGram(ids, (key, order) => counts[key] = (order, counts.GetValueOrDefault(key).Count + 1));
        var keys = new ulong[counts.Count];
        var weights = new double[counts.Count];
        var norms = new double[MaxN];
        var length = 0;
        var i = 0;
        foreach (var (key, (order, count)) in counts)
        {
            var weight = count * (_logPhotos - Math.Log(Math.Max(1.0, _documentFrequency.GetValueOrDefault(key))));
            keys[i] = key;
            weights[i++] = weight;
            norms[order - 1] += weight * weight;
            if (order == 2)
            {
                length += count;
            }
        }

        for (var n = 0; n < MaxN; n++)
        {
            norms[n] = Math.Sqrt(norms[n]);
        }

        return new TfIdf(keys, weights, norms, length);
    }

    private static double Similarity(TfIdf candidate, Dictionary<ulong, double> candidateWeights, TfIdf reference)
    {
        var delta = candidate.Length - reference.Length;
        var penalty = Math.Exp(-(delta * delta) / (2 * Sigma * Sigma));
        Span<double> values = stackalloc double[MaxN];
        for (var i = 0; i < reference.Keys.Length; i++)
        {
            if (candidateWeights.TryGetValue(reference.Keys[i], out var weight))
            {
                var referenceWeight = reference.Weights[i];
                values[Order(reference.Keys[i]) - 1] += Math.Min(weight, referenceWeight) * referenceWeight;
            }
        }

        double mean = 0;
        for (var n = 0; n < MaxN; n++)
        {
            if (candidate.Norms[n] != 0 && reference.Norms[n] != 0)
            {
                values[n] /= candidate.Norms[n] * reference.Norms[n];
            }

            mean += values[n] * penalty;
        }

        return mean / MaxN;
    }

    /// <summary>Calls <paramref name="visit"/> with the key and order of every 1..4-gram of <paramref name="ids"/>.</summary>
    private static void ForEachGram(int[] ids, Action<ulong, int> visit)
    {
        for (var n = 1; n <= MaxN; n++)
        {
            for (var start = 0; start + n <= ids.Length; start++)
            {
                visit(Key(ids.AsSpan(start, n)), n);
            }
        }
    }

    // The order sits in the low 3 bits; the ids are mixed into the rest (a collision is as likely as 1 in 2^61).
    private static ulong Key(ReadOnlySpan<int> ids)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (var id in ids)
        {
            hash = (hash ^ (uint)id) * 0x100000001B3UL;
            hash ^= hash >> 29;
        }

        return (hash << 3) | (uint)ids.Length;
    }

    private static int Order(ulong key) => (int)(key & 7);

    private sealed record TfIdf(ulong[] Keys, double[] Weights, double[] Norms, int Length);
}
