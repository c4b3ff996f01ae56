using Captioner.Core.Features;
using Captioner.Core.Models;

namespace Captioner.Core.Confidence;

/// <summary>
/// The photos a model learned from, as <see cref="CaptionAssessor"/> compares a new photo with them: each training
/// photo's pooled features (unit length, searched by <see cref="NeighbourSearch"/>) and captions. A photo's nearest
/// training photos give its familiarity (their mean cosine similarity) and the consensus signal (how well its caption
/// matches their captions).
/// </summary>
public sealed class TrainingNeighbours : IDisposable
{
    private const int Width = EncoderIdentity.FeatureSize;

    /// <summary>The most neighbours a file may ask for.</summary>
    public const int MaxNeighbours = 100;

    private readonly NeighbourSearch _search;
    private readonly CaptionConsensus _consensus;

    private TrainingNeighbours(NeighbourSearch search, int count, CaptionConsensus consensus)
    {
        _search = search;
        Count = count;
        _consensus = consensus;
    }

    /// <summary>Training photos held.</summary>
    public int Count { get; }

    /// <summary>Nearest photos each new photo is compared with.</summary>
    public int Neighbours => _search.Neighbours;

    /// <summary>Builds the index from <paramref name="file"/>; an inconsistent file is a <see cref="ModelLoadException"/>.</summary>
    public static TrainingNeighbours From(ConfidenceFile file, string source)
    {
        ArgumentNullException.ThrowIfNull(file);
        byte[] packed;
        try
        {
            packed = Convert.FromBase64String(file.Features);
        }
        catch (FormatException ex)
        {
            throw new ModelLoadException($"{source}: {ConfidenceFile.FileName} features are not base64.", ex);
        }

        var count = file.Captions.Count;
        if (file.FeatureScales.Length != Width || packed.Length != count * Width || count == 0 || file.Neighbours is < 1 or > MaxNeighbours)
        {
            throw new ModelLoadException($"{source}: {ConfidenceFile.FileName} holds {packed.Length} feature values and {file.FeatureScales.Length} scales for {count} photos (expected {Width} per photo, at least one photo, 1 to {MaxNeighbours} neighbours).");
        }

        var features = new float[count * Width];
        for (var photo = 0; photo < count; photo++)
        {
            var row = features.AsSpan(photo * Width, Width);
            for (var i = 0; i < Width; i++)
            {
                row[i] = packed[(photo * Width) + i] * file.FeatureScales[i] / 255f;
            }

            Normalise(row);
        }

        return new TrainingNeighbours(new NeighbourSearch(features, count, Math.Min(file.Neighbours, count)), count, new CaptionConsensus(file.Captions));
    }

    /// <summary>The reference photos' pooled features as <paramref name="file"/> stores them (to the 8-bit rounding), back to back: what a model trained further adds its photos to.</summary>
    public static float[] Unpack(ConfidenceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var packed = Convert.FromBase64String(file.Features);
        var features = new float[packed.Length];
        for (var i = 0; i < packed.Length; i++)
        {
            features[i] = packed[i] * file.FeatureScales[i % Width] / 255f;
        }

        return features;
    }

    /// <summary>Packs pooled features of training photos (back to back) as the file stores them: 8-bit, one scale per feature.</summary>
    public static (float[] Scales, string Packed) Pack(ReadOnlySpan<float> features, int count)
    {
        var scales = new float[Width];
        for (var i = 0; i < count * Width; i++)
        {
            scales[i % Width] = Math.Max(scales[i % Width], features[i]);
        }

        var bytes = new byte[count * Width];
        for (var i = 0; i < bytes.Length; i++)
        {
            var scale = scales[i % Width];
            bytes[i] = scale <= 0 ? (byte)0 : (byte)Math.Clamp(MathF.Round(Math.Max(0, features[i]) / scale * 255f), 0, 255);
        }

        return (scales, Convert.ToBase64String(bytes));
    }

    /// <summary>
    /// The nearest training photos to a photo with <paramref name="pooled"/> features, written to
    /// <paramref name="nearest"/> (<see cref="Neighbours"/> of them, nearest first); returns their mean cosine similarity,
    /// the photo's familiarity.
    /// </summary>
    public double Nearest(ReadOnlySpan<float> pooled, Span<int> nearest)
    {
        var familiarity = new double[1];
        NearestAll(pooled[..Width], 1, nearest, familiarity);
        return familiarity[0];
    }

    /// <summary>
    /// <see cref="Nearest"/> for <paramref name="rows"/> photos whose features lie back to back in <paramref name="pooled"/>,
    /// in one pass: row r's nearest photos go to <paramref name="nearest"/>[r * Neighbours ..], its familiarity to <paramref name="familiarity"/>[r].
    /// </summary>
    public void NearestAll(ReadOnlySpan<float> pooled, int rows, Span<int> nearest, Span<double> familiarity)
    {
        var queries = pooled[..(rows * Width)].ToArray();
        for (var row = 0; row < rows; row++)
        {
            Normalise(queries.AsSpan(row * Width, Width));
        }

        var (similarities, photos) = _search.Search(queries, rows);
        var k = Neighbours;
        for (var row = 0; row < rows; row++)
        {
            double sum = 0;
            for (var j = 0; j < k; j++)
            {
                sum += similarities[(row * k) + j];
                nearest[(row * k) + j] = (int)photos[(row * k) + j];
            }

            familiarity[row] = sum / k;
        }
    }

    /// <summary>The mean CIDEr-D of <paramref name="words"/> against the captions of each of <paramref name="photos"/>.</summary>
    public double Consensus(IReadOnlyList<string> words, ReadOnlySpan<int> photos) => _consensus.Score(words, photos);

    public void Dispose() => _search.Dispose();

    private static void Normalise(Span<float> row)
    {
        double sum = 0;
        foreach (var value in row)
        {
            sum += value * value;
        }

        // A photo with no features at all (never seen from the encoder, whose pooled values are positive) stays zero: similarity 0.
        var norm = (float)Math.Sqrt(sum);
        if (norm > 0)
        {
            for (var i = 0; i < row.Length; i++)
            {
                row[i] /= norm;
            }
        }
    }
}
