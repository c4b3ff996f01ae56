using Captioner.Evaluation.Data;
using Captioner.Core.Vocabulary;

namespace Captioner.Training.Data;

/// <summary>
/// The flipped copies of training images: a photo mirrored left to right is described by its captions with
/// "left" and "right" swapped. A training set with mirrors holds the originals first and their mirrors after, in
/// the same order, so image <c>i</c>'s mirror is <c>i + originals</c> and caption pair <c>p</c>'s is <c>p + pairs</c>.
/// </summary>
internal static class MirroredImages
{
    /// <summary>What marks a mirror's name, so it is never taken for a file of the data set.</summary>
    public const string NameSuffix = "#mirrored";

    /// <summary>The caption of the mirrored photo: <paramref name="caption"/>'s words, with left and right swapped.</summary>
    public static string Caption(string caption) =>
        string.Join(' ', CaptionTokenizer.Tokenize(caption).Select(word => word switch
        {
            "left" => "right",
            "right" => "left",
            _ => word,
        }));

    /// <summary><paramref name="images"/> followed by their mirrors.</summary>
    public static IReadOnlyList<CaptionedImage> WithMirrors(IReadOnlyList<CaptionedImage> images) =>
        [.. images, .. images.Select(image => new CaptionedImage(image.ImageFile + NameSuffix, [.. image.Captions.Select(Caption)]))];

    /// <summary>
    /// Picks, for each index of <paramref name="order"/> (originals only), the original or its mirror at random:
    /// adds <paramref name="originals"/> to about half of them. The draw is seeded, so a resumed epoch draws the same.
    /// </summary>
    public static void ChooseSides(int[] order, int originals, int seed)
    {
        var coin = new Random(seed);
        for (var i = 0; i < order.Length; i++)
        {
            if (coin.Next(2) == 1)
            {
                order[i] += originals;
            }
        }
    }
}
