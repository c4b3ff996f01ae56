using Captioner.TestSupport;

namespace Captioner.Training.Tests;

/// <summary>The shared Flickr8k data and subsets of its splits.</summary>
internal static class TestData
{
    public static string Flickr8k => RepositoryPaths.Flickr8k;

    public static string Images => Path.Combine(Flickr8k, "images");

    public static string Captions => Path.Combine(Flickr8k, "captions.tsv");

    /// <summary>The first <paramref name="count"/> names of a split, written to a file in <paramref name="directory"/>.</summary>
    public static string SplitSubset(string directory, string split, int count)
    {
        var path = Path.Combine(directory, $"{split}-{count}.txt");
        File.WriteAllLines(path, File.ReadLines(Path.Combine(Flickr8k, $"split_{split}.txt")).Take(count));
        return path;
    }
}
