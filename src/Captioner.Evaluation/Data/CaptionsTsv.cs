namespace Captioner.Evaluation.Data;

/// <summary>Reads captions files of <c>image_file&lt;TAB&gt;caption</c> lines, grouping captions by image in file order.</summary>
internal static class CaptionsTsv
{
    /// <summary>Reads captions lines from <paramref name="reader"/>; a line without a tab or with an empty side is an error naming
    /// <paramref name="sourceName"/> and its line number.</summary>
    public static IReadOnlyList<CaptionedImage> Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var byImage = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var image = tab > 0 ? line[..tab].Trim() : string.Empty;
            var caption = tab > 0 ? line[(tab + 1)..].Trim() : string.Empty;
            if (image.Length == 0 || caption.Length == 0)
            {
                throw new InvalidDataException($"{sourceName}:{lineNumber}: expected 'image_file<TAB>caption'.");
            }

            if (!byImage.TryGetValue(image, out var captions))
            {
                byImage[image] = captions = [];
                order.Add(image);
            }

            captions.Add(caption);
        }

        return [.. order.Select(image => new CaptionedImage(image, byImage[image]))];
    }
}
