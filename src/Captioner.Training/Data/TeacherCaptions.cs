using Captioner.Evaluation.Data;

namespace Captioner.Training.Data;

/// <summary>
/// Sequence-level distillation (Kim and Rush 2016): a teacher's captions of the training images (an ensemble's beam
/// captions, say) become extra cross-entropy targets beside the human ones. They never enter the vocabulary, the
/// self-critical reward's references or the dev scores, which stay human.
/// </summary>
internal static class TeacherCaptions
{
    /// <summary>
    /// Reads <paramref name="file"/> (any captions format) and keeps it to the training images: a caption of an image
    /// outside <paramref name="train"/> is refused with its name (it could carry the dev split into training).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(string file, IReadOnlyList<CaptionedImage> train)
    {
        var names = train.Select(image => image.ImageFile).ToHashSet(StringComparer.Ordinal);
        var captions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var image in CaptionFiles.ReadFile(file))
        {
            if (!names.Contains(image.ImageFile))
            {
                throw new InvalidDataException($"{file}: '{image.ImageFile}' is not a training image; teacher captions are for the training split only.");
            }

            captions[image.ImageFile] = image.Captions;
        }

        return captions;
    }

    /// <summary><paramref name="train"/> in its order, each image's captions followed by its teacher's.</summary>
    public static IReadOnlyList<CaptionedImage> Append(IReadOnlyList<CaptionedImage> train, IReadOnlyDictionary<string, IReadOnlyList<string>> teacher) =>
        [.. train.Select(image => teacher.TryGetValue(image.ImageFile, out var extra) ? new CaptionedImage(image.ImageFile, [.. image.Captions, .. extra]) : image)];
}
