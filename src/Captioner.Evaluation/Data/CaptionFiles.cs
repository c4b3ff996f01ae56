using System.Text.Json;
using System.Text.RegularExpressions;

namespace Captioner.Evaluation.Data;

/// <summary>Reads a captions file in any <see cref="CaptionFileFormat"/>, grouping captions by image in file order.</summary>
public static partial class CaptionFiles
{
    /// <summary>Parses a format name as given in a request or on the command line: auto, tsv, flickr8k or coco.</summary>
    public static CaptionFileFormat ParseFormat(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        null or "" or "AUTO" => CaptionFileFormat.Auto,
        "TSV" => CaptionFileFormat.Tsv,
        "FLICKR8K" or "FLICKR8K-TOKEN" or "TOKEN" => CaptionFileFormat.Flickr8kToken,
        "COCO" or "COCO-JSON" => CaptionFileFormat.CocoJson,
        _ => throw new InvalidDataException($"Unknown captions format '{name}': use auto, tsv, flickr8k or coco."),
    };

    /// <summary>Reads the captions file at <paramref name="path"/>, its format detected from its content.</summary>
    public static IReadOnlyList<CaptionedImage> ReadFile(string path) => Read(File.ReadAllText(path), path, CaptionFileFormat.Auto);

    /// <summary>Reads <paramref name="content"/> of the file <paramref name="sourceName"/>; an empty file is an error.</summary>
    public static IReadOnlyList<CaptionedImage> Read(string content, string sourceName, CaptionFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (string.IsNullOrWhiteSpace(content))
        {
            throw new InvalidDataException($"The captions file '{sourceName}' is empty.");
        }

        var images = (format == CaptionFileFormat.Auto ? Detect(content, sourceName) : format) switch
        {
            CaptionFileFormat.Tsv => CaptionsTsv.Read(new StringReader(content), sourceName),
            CaptionFileFormat.Flickr8kToken => ReadFlickr8kToken(content, sourceName),
            CaptionFileFormat.CocoJson => ReadCoco(content, sourceName),
            var other => throw new InvalidDataException($"Unknown captions format '{other}'."),
        };
        return images.Count > 0 ? images : throw new InvalidDataException($"The captions file '{sourceName}' has no captions.");
    }

    /// <summary>The format of <paramref name="content"/>: JSON for COCO, <c>name#n&lt;TAB&gt;</c> for Flickr8k, a tab for TSV.</summary>
    public static CaptionFileFormat Detect(string content, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(content);
        var start = content.TrimStart();
        if (start.StartsWith('{'))
        {
            return CaptionFileFormat.CocoJson;
        }

        var firstLine = start.Split('\n', 2)[0].TrimEnd('\r');
        if (TokenLine().IsMatch(firstLine))
        {
            return CaptionFileFormat.Flickr8kToken;
        }

        if (firstLine.Contains('\t', StringComparison.Ordinal))
        {
            return CaptionFileFormat.Tsv;
        }

        throw new InvalidDataException($"Unknown captions format of '{sourceName}': expected 'image<TAB>caption' lines (tsv), 'image#n<TAB>caption' lines (flickr8k) or COCO captions JSON.");
    }

    private static List<CaptionedImage> ReadFlickr8kToken(string content, string sourceName)
    {
        // Flickr8k.token.txt is TSV whose image column carries a '#n' caption number: drop it and read as TSV.
        var lines = content.Split('\n').Select((line, index) =>
        {
            var match = TokenLine().Match(line.TrimEnd('\r'));
            if (!match.Success && line.Trim().Length > 0)
            {
                throw new InvalidDataException($"{sourceName}:{index + 1}: expected 'image_file#n<TAB>caption'.");
            }

            return match.Success ? $"{match.Groups["image"].Value}\t{match.Groups["caption"].Value}" : string.Empty;
        });
        return [.. CaptionsTsv.Read(new StringReader(string.Join('\n', lines)), sourceName)];
    }

    private static List<CaptionedImage> ReadCoco(string content, string sourceName)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (!root.TryGetProperty("images", out var images) || !root.TryGetProperty("annotations", out var annotations))
            {
                throw new InvalidDataException($"'{sourceName}' is JSON but not COCO captions: it needs 'images' and 'annotations'.");
            }

            var fileById = images.EnumerateArray().ToDictionary(image => image.GetProperty("id").GetInt64(), image => image.GetProperty("file_name").GetString() ?? string.Empty);
            var byImage = new Dictionary<long, List<string>>();
            var order = new List<long>();
            foreach (var annotation in annotations.EnumerateArray())
            {
                var id = annotation.GetProperty("image_id").GetInt64();
                if (!fileById.ContainsKey(id))
                {
                    throw new InvalidDataException($"'{sourceName}': an annotation names image id {id}, which 'images' does not list.");
                }

                if (!byImage.TryGetValue(id, out var captions))
                {
                    byImage[id] = captions = [];
                    order.Add(id);
                }

                captions.Add(annotation.GetProperty("caption").GetString()?.Trim() ?? string.Empty);
            }

            return [.. order.Select(id => new CaptionedImage(fileById[id], byImage[id].Where(c => c.Length > 0).ToList())).Where(image => image.Captions.Count > 0)];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{sourceName}' is not valid COCO captions JSON: {ex.Message}", ex);
        }
    }

    [GeneratedRegex(@"^(?<image>[^\t#]+)#\d+\t(?<caption>.*)$")]
    private static partial Regex TokenLine();
}
