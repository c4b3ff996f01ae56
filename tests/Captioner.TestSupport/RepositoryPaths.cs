namespace Captioner.TestSupport;

/// <summary>Paths of the repository and of the shared data beside it (<c>../shared/data</c>).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    /// <summary>Flickr8k: <c>CAPTIONER_FLICKR8K</c> when set, else <c>../shared/data/flickr8k</c>.</summary>
    public static string Flickr8k => Environment.GetEnvironmentVariable("CAPTIONER_FLICKR8K") is { Length: > 0 } configured ? configured : Path.Combine(SharedData, "flickr8k");

    /// <summary>The default model: an adaptive-attention decoder.</summary>
    public static string DefaultModel => Path.Combine(Root, "models", "default");

    /// <summary>The earlier show-and-tell (pooled features) model, kept as the decoding benchmarks' baseline and a second decoder kind.</summary>
    public static string ShowAndTellModel => Path.Combine(Root, "models", "show-and-tell");

    /// <summary>The build configuration of the running test assembly (Debug or Release), to find sibling build outputs.</summary>
    public static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The build output folder of project <paramref name="project"/> under src/.</summary>
    public static string Output(string project) => Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", "linux-x64");

    private static string FindRoot()
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
}
