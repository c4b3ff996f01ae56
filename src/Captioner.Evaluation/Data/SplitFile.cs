namespace Captioner.Evaluation.Data;

/// <summary>A split file: one image file name per line.</summary>
public static class SplitFile
{
    /// <summary>The image names in <paramref name="path"/>, blank lines skipped.</summary>
    public static IReadOnlyList<string> Read(string path) =>
        [.. File.ReadLines(path).Select(line => line.Trim()).Where(line => line.Length > 0)];

    /// <summary>The captioned images named by the split, in split order; names without captions are an error.</summary>
    public static IReadOnlyList<CaptionedImage> Select(IReadOnlyList<CaptionedImage> all, IReadOnlyList<string> names, string splitName)
    {
        var byName = all.ToDictionary(image => image.ImageFile, StringComparer.Ordinal);
        var missing = names.Where(name => !byName.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{missing.Count} image(s) of split '{splitName}' have no captions, e.g. {string.Join(", ", missing.Take(3))}.");
        }

        return [.. names.Select(name => byName[name])];
    }
}
