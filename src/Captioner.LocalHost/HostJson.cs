using Microsoft.Extensions.Configuration;

namespace Captioner.LocalHost;

/// <summary>The Functions app's host.json, read by the local host so the settings both hosts share are written once.</summary>
internal static class HostJson
{
    public const string FileName = "host.json";

    /// <summary><c>extensions:queues</c> of the host.json in <paramref name="directory"/>: batch size, threshold, dequeue count, visibility, polling, encoding.</summary>
    public static IConfigurationSection QueuesSection(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The local host reads the queue settings of {FileName}, which is not beside it.", path);
        }

        var section = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build().GetSection("extensions:queues");
        return section.Exists() ? section : throw new InvalidDataException($"{path} has no extensions.queues section.");
    }
}
