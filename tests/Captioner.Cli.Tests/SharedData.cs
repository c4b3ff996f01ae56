namespace Captioner.Cli.Tests;

/// <summary>Paths of the shared data beside the repository (<c>../shared/data</c>).</summary>
internal static class SharedData
{
    public static string Root { get; } = Locate();

    public static string Samples => Path.Combine(Root, "samples");

    public static string Flickr8k => Path.Combine(Root, "flickr8k");

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Captioner.Functions.sln")))
            {
                return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data"));
            }
        }

        throw new DirectoryNotFoundException("Captioner.Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
