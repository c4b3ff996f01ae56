using Captioner.Core.Features;

namespace Captioner.Training.Data;

/// <summary>
/// Encoder features of a list of images, kept in one binary file so training runs on the same data
/// need not encode the images again. The file records the encoder and the image names; any change
/// makes it stale and it is rebuilt.
/// </summary>
internal static class FeatureCache
{
    /// <summary>Pooled features and region maps of <paramref name="names"/> under <paramref name="imageDirectory"/> (flipped left to right with <paramref name="mirrored"/>).</summary>
    public static ImageFeatureSet LoadOrExtract(string cachePath, string imageDirectory, IReadOnlyList<string> names, ImageFeaturizer featurizer, Action<int, int>? progress = null, bool mirrored = false)
    {
        if (TryLoad(cachePath, names) is { } cached)
        {
            progress?.Invoke(names.Count, names.Count);
            return cached;
        }

        var results = featurizer.Featurize(names.Count, i => File.ReadAllBytes(Path.Combine(imageDirectory, names[i])), done => progress?.Invoke(done, names.Count), mirrored);
        var failed = results.Select((result, i) => (result, i)).Where(x => !x.result.Succeeded).ToList();
        if (failed.Count > 0)
        {
            var (result, i) = failed[0];
            throw new InvalidDataException($"{failed.Count} training image(s) could not be read, e.g. {names[i]}: {result.Error}");
        }

        var features = ImageFeatureSet.From(results);
        Save(cachePath, names, features);
        return features;
    }

    private static ImageFeatureSet? TryLoad(string path, IReadOnlyList<string> names)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        return FeatureFile.Read(stream) is { } cached && cached.Names.SequenceEqual(names, StringComparer.Ordinal) ? cached.Features : null;
    }

    private static void Save(string path, IReadOnlyList<string> names, ImageFeatureSet features)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            FeatureFile.Write(stream, names, features);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
