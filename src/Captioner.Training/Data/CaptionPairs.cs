using Captioner.Core.Data;
using Captioner.Core.Vocabulary;

namespace Captioner.Training.Data;

/// <summary>Every (image, caption) pair of a split, encoded as <c>#START# words #END#</c> token ids.</summary>
internal sealed class CaptionPairs
{
    public CaptionPairs(IReadOnlyList<CaptionedImage> images, CaptionVocabulary vocabulary, int maxWords)
    {
        var imageIndex = new List<int>();
        var sequences = new List<int[]>();
        for (var i = 0; i < images.Count; i++)
        {
            foreach (var caption in images[i].Captions)
            {
                imageIndex.Add(i);
                sequences.Add(vocabulary.Encode(CaptionTokenizer.Tokenize(caption), maxWords));
            }
        }

        ImageIndex = [.. imageIndex];
        Sequences = [.. sequences];
    }

    /// <summary>For each pair, the index of its image in the split.</summary>
    public int[] ImageIndex { get; }

    /// <summary>For each pair, its token ids.</summary>
    public int[][] Sequences { get; }

    public int Count => ImageIndex.Length;

    /// <summary>
    /// Teacher-forcing tensors for the pairs <paramref name="pairs"/>: inputs drop the last token,
    /// targets drop the first, both padded with <see cref="SpecialTokens.PadId"/> to the longest.
    /// </summary>
    public (long[] Inputs, long[] Targets, int Length) Batch(ReadOnlySpan<int> pairs)
    {
        var length = 0;
        foreach (var pair in pairs)
        {
            length = Math.Max(length, Sequences[pair].Length - 1);
        }

        var inputs = new long[pairs.Length * length];
        var targets = new long[pairs.Length * length];
        for (var row = 0; row < pairs.Length; row++)
        {
            var sequence = Sequences[pairs[row]];
            for (var t = 0; t < sequence.Length - 1; t++)
            {
                inputs[(row * length) + t] = sequence[t];
                targets[(row * length) + t] = sequence[t + 1];
            }
        }

        return (inputs, targets, length);
    }
}
