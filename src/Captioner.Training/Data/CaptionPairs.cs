using Captioner.Evaluation.Data;
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
}
