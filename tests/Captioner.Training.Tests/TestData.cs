namespace Captioner.Training.Tests;

/// <summary>Finds the shared Flickr8k data: <c>CAPTIONER_FLICKR8K</c>, else <c>../shared/data/flickr8k</c> beside the repository.</summary>
internal static class TestData
{
    public static string Flickr8k { get; } = Locate();

    public static string Images => Path.Combine(Flickr8k, "images");

    public static string Captions => Path.Combine(Flickr8k, "captions.tsv");

    /// <summary>The first <paramref name="count"/> names of a split, written to a file in <paramref name="directory"/>.</summary>
    public static string SplitSubset(string directory, string split, int count)
    {
        var path = Path.Combine(directory, $"{split}-{count}.txt");
        File.WriteAllLines(path, File.ReadLines(Path.Combine(Flickr8k, $"split_{split}.txt")).Take(count));
        return path;
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Captioner.Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Captioner.Functions.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("CAPTIONER_FLICKR8K") is { Length: > 0 } configured)
        {
            return configured;
        }

        var shared = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "data", "flickr8k"));
        return Directory.Exists(shared)
            ? shared
            : throw new DirectoryNotFoundException($"Flickr8k not found at {shared}; set CAPTIONER_FLICKR8K.");
    }
}
