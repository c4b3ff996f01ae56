using System.Reflection;
using System.Text.Json;
using Captioner.Core.Features;
using Captioner.Core.Pipeline;
using Captioner.TestSupport;

namespace Captioner.Core.Tests.Pipeline;

public sealed class SettingsKeysTests
{
    [Fact]
    public void Every_captioner_setting_in_the_sample_names_a_property_the_hosts_bind()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "local.settings.sample.json")));
        var keys = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).Where(k => k.StartsWith("Captioner__", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.True(Binds(key) || ReadByTheFunctionsApp(key), $"{key} binds to no property"));
    }

    // Settings the Functions app binds into its own options (its public address), an assembly these tests do not load.
    private static bool ReadByTheFunctionsApp(string key) =>
        key.Split("__") is [_, var name] &&
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Captioner.Functions", "PublicAddressOptions.cs")).Contains($"public string? {name} {{ get; set; }}", StringComparison.Ordinal);

    private static bool Binds(string key)
    {
        var path = key.Split("__")[1..];
        var type = path[0] == "Encoder" ? typeof(FeatureExtractorOptions) : typeof(PipelineOptions);
        foreach (var segment in path[0] == "Encoder" ? path[1..] : path)
        {
            if (type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not { CanWrite: true } property)
            {
                return false;
            }

            type = property.PropertyType;
        }

        return true;
    }
}
