using Captioner.Core.Scoring;

namespace Captioner.Core.Confidence;

/// <summary>
/// CIDEr-D of a caption against the captions of chosen training photos, with the document frequencies of the whole
/// training set: the evaluation's CIDEr-D (n = 1..4 tf-idf, clipped counts, <see cref="CiderDFormula"/>, times 10),
/// kept compact for a worker: n-grams are 64-bit keys of word ids, and every training caption's tf-idf vector is built
/// once, at load, into flat arrays (about 20 MB for 30,000 captions), so scoring a caption reads them and hashes only
/// its own n-grams.
/// </summary>
internal sealed class CaptionConsensus
{
    private const int MaxN = CiderDFormula.MaxN;

    private readonly Dictionary<string, int> _wordIds = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, int> _documentFrequency = [];
    private readonly double _logPhotos;

    // Caption c of the training set: its n-grams are _keys/_weights[_starts[c] .. _starts[c + 1]), its norms
    // _norms[c * MaxN ..], its bigram count _lengths[c]; photo p's captions are _firstCaption[p] .. _firstCaption[p + 1].
    private readonly int[] _firstCaption;
    private readonly int[] _starts;
    private readonly ulong[] _keys;
    private readonly double[] _weights;
    private readonly double[] _norms;
    private readonly int[] _lengths;

    public CaptionConsensus(IReadOnlyList<IReadOnlyList<string>> captions)
    {
        var ids = captions.Select(photo => photo.Select(caption => caption.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Id).ToArray()).ToArray()).ToArray();
        var seen = new HashSet<ulong>();
        foreach (var photo in ids)
        {
            seen.Clear();
            foreach (var caption in photo)
            {
                foreach (var (key, _) in Grams(caption))
                {
                    seen.Add(key);
                }
            }

            foreach (var key in seen)
            {
                _documentFrequency[key] = _documentFrequency.GetValueOrDefault(key) + 1;
            }
        }

        _logPhotos = Math.Log(Math.Max(1, captions.Count));
        _firstCaption = new int[ids.Length + 1];
        var vectors = new List<TfIdf>();
        for (var photo = 0; photo < ids.Length; photo++)
        {
            _firstCaption[photo] = vectors.Count;
            vectors.AddRange(ids[photo].Select(Vector));
        }

        _firstCaption[ids.Length] = vectors.Count;
        _starts = new int[vectors.Count + 1];
        _norms = new double[vectors.Count * MaxN];
        _lengths = new int[vectors.Count];
        for (var c = 0; c < vectors.Count; c++)
        {
            _starts[c + 1] = _starts[c] + vectors[c].Keys.Length;
            vectors[c].Norms.CopyTo(_norms, c * MaxN);
            _lengths[c] = vectors[c].Length;
        }

        _keys = new ulong[_starts[^1]];
        _weights = new double[_starts[^1]];
        for (var c = 0; c < vectors.Count; c++)
        {
            vectors[c].Keys.CopyTo(_keys, _starts[c]);
            vectors[c].Weights.CopyTo(_weights, _starts[c]);
        }
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

        Span<double> dots = stackalloc double[MaxN];
        double total = 0;
        foreach (var photo in photos)
        {
            double photoScore = 0;
            var (first, last) = (_firstCaption[photo], _firstCaption[photo + 1]);
            for (var c = first; c < last; c++)
            {
                dots.Clear();
                for (var i = _starts[c]; i < _starts[c + 1]; i++)
                {
                    if (candidateWeights.TryGetValue(_keys[i], out var weight))
                    {
                        dots[Order(_keys[i]) - 1] += Math.Min(weight, _weights[i]) * _weights[i];
                    }
                }

                photoScore += CiderDFormula.Similarity(dots, candidate.Norms, _norms.AsSpan(c * MaxN, MaxN), candidate.Length, _lengths[c]);
            }

            total += last == first ? 0 : photoScore / (last - first) * 10.0;
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
        foreach (var (key, order) in Grams(ids))
        {
            counts[key] = (order, counts.GetValueOrDefault(key).Count + 1);
        }

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

    /// <summary>The key and order of every 1..4-gram of <paramref name="ids"/>.</summary>
    private static IEnumerable<(ulong Key, int Order)> Grams(int[] ids)
    {
        for (var n = 1; n <= MaxN; n++)
        {
            for (var start = 0; start + n <= ids.Length; start++)
            {
                yield return (Key(ids.AsSpan(start, n)), n);
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
