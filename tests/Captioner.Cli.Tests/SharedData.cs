using Captioner.TestSupport;

namespace Captioner.Cli.Tests;

/// <summary>Paths of the shared data the CLI tests read.</summary>
internal static class SharedData
{
    public static string Samples => Path.Combine(RepositoryPaths.SharedData, "samples");

    public static string Flickr8k => RepositoryPaths.Flickr8k;
}
