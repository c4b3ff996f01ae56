using System.Numerics;
using System.Runtime.InteropServices;
using Captioner.Core.Features;
using Captioner.Core.Models;

namespace Captioner.Core.Confidence;

/// <summary>
/// The photos a model learned from, as <see cref="CaptionAssessor"/> compares a new photo with them: each training
/// photo's pooled features (unit length) and captions. A photo's <see cref="Nearest"/> training photos give its
/// familiarity (their mean cosine similarity) and the consensus signal (how well its caption matches their captions).
/// </summary>
public sealed class TrainingNeighbours
{
    private const int Width = EncoderIdentity.FeatureSize;

    /// <summary>The most neighbours a file may ask for (they live on the stack while a photo is scored).</summary>
    public const int MaxNeighbours = 100;
    private readonly float[] _features;
    private readonly CaptionConsensus _consensus;

    private TrainingNeighbours(float[] features, int count, int neighbours, CaptionConsensus consensus)
    {
        _features = features;
        Count = count;
        Neighbours = Math.Min(neighbours, count);
        _consensus = consensus;
    }

    /// <summary>Training photos held.</summary>
    public int Count { get; }

    /// <summary>Nearest photos each new photo is compared with.</summary>
    public int Neighbours { get; }

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

        return new TrainingNeighbours(features, count, file.Neighbours, new CaptionConsensus(file.Captions));
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
    /// <paramref name="nearest"/> (<see cref="Neighbours"/> of them); returns their mean cosine similarity, the photo's familiarity.
    /// </summary>
    public double Nearest(ReadOnlySpan<float> pooled, Span<int> nearest)
    {
        Span<float> query = stackalloc float[Width];
        pooled[..Width].CopyTo(query);
        Normalise(query);
        var k = Neighbours;
        Span<float> best = stackalloc float[k];
        best.Fill(float.NegativeInfinity);
        for (var photo = 0; photo < Count; photo++)
        {
            var similarity = Dot(query, _features.AsSpan(photo * Width, Width));
            if (similarity <= best[k - 1])
            {
                continue;
            }

            // Keep the k best in descending order: insertion, since k is small.
            var slot = k - 1;
            while (slot > 0 && best[slot - 1] < similarity)
            {
                best[slot] = best[slot - 1];
                nearest[slot] = nearest[slot - 1];
                slot--;
            }

            best[slot] = similarity;
            nearest[slot] = photo;
        }

        double sum = 0;
        foreach (var similarity in best)
        {
            sum += similarity;
        }

        return sum / k;
    }

    /// <summary>The mean CIDEr-D of <paramref name="words"/> against the captions of each of <paramref name="photos"/>.</summary>
    public double Consensus(IReadOnlyList<string> words, ReadOnlySpan<int> photos) => _consensus.Score(words, photos);

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        var sum = Vector<float>.Zero;
        for (var i = 0; i < va.Length; i++)
        {
            sum += va[i] * vb[i];
        }

        var total = Vector.Sum(sum);
        for (var i = va.Length * Vector<float>.Count; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    private static void Normalise(Span<float> row)
    {
        var norm = MathF.Sqrt(Dot(row, row));
        if (norm > 0)
        {
            for (var i = 0; i < row.Length; i++)
            {
                row[i] /= norm;
            }
        }
    }
}
