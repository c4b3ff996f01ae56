using System.Text.Json.Nodes;
using Captioner.TestSupport;

namespace Captioner.Infra.Tests;

/// <summary>What the Functions app project says about itself: its functions (functions.metadata of its build) and its local settings sample.</summary>
internal static class FunctionsApp
{
    /// <summary>Keys of local.settings.sample.json that have no place in Azure, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> LocalOnlyPrefixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage"] = "a connection string locally; Azure gets the identity-based AzureWebJobsStorage__* keys instead",
        ["Captioner__SeedModel"] = "the local host seeds storage; in Azure the postprovision hook publishes the default model",
        ["Captioner__ReconcileInterval"] = "the local host's sweep; the Functions app sweeps on its hourly timer",
        ["Captioner__Durable__"] = "the local host's Durable Task sidecar; the Functions app takes host.json's durableTask section",
    };

    /// <summary>The functions.metadata the Functions SDK generates into the build output of the same configuration.</summary>
    public static string MetadataPath => Path.Combine(RepositoryPaths.Output("Captioner.Functions"), "functions.metadata");

    /// <summary>Every function of the app, with the binding types of each.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> Functions()
    {
        Assert.True(File.Exists(MetadataPath), $"{MetadataPath} is missing: build src/Captioner.Functions -c {RepositoryPaths.Configuration} first (scripts/test.sh builds the solution).");
        return JsonNode.Parse(File.ReadAllText(MetadataPath))!.AsArray()
            .ToDictionary(
                f => (string)f!["name"]!,
                f => (IReadOnlyList<JsonObject>)f!["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList(),
                StringComparer.Ordinal);
    }

    /// <summary>The keys of local.settings.sample.json (its Values).</summary>
    public static IReadOnlyList<string> SampleSettingKeys() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "local.settings.sample.json")))!["Values"]!.AsObject().Select(p => p.Key).ToList();

    /// <summary>Whether a key of the sample only makes sense locally.</summary>
    public static bool IsLocalOnly(string key) =>
        LocalOnlyPrefixes.Keys.Any(prefix => prefix.EndsWith("__", StringComparison.Ordinal) ? key.StartsWith(prefix, StringComparison.Ordinal) : key == prefix);

    /// <summary>The task hub of host.json's durableTask section and its partition count.</summary>
    public static (string HubName, int PartitionCount) TaskHub()
    {
        var durable = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!["extensions"]!["durableTask"]!;
        return ((string)durable["hubName"]!, (int?)durable["storageProvider"]?["partitionCount"] ?? 4);
    }
}
