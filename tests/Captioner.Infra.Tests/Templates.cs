using System.Text.Json.Nodes;
using Captioner.TestSupport;

namespace Captioner.Infra.Tests;

/// <summary>
/// The templates as the tests read them: <c>infra/main.bicep</c> compiled to ARM JSON, and the app
/// settings each app gets, evaluated offline by <c>bicep build-params</c> from Harness/app-settings.bicepparam
/// (the same exported functions main.bicep calls). Each is built once per test run.
/// </summary>
internal static class Templates
{
    private static readonly Lazy<JsonObject> CompiledMain = new(() => Compile(Path.Combine(Infra, "main.bicep")));
    private static readonly Lazy<JsonObject> EvaluatedHarness = new(EvaluateHarness);

    public static string Infra => Path.Combine(RepositoryPaths.Root, "infra");

    public static string Harness => Path.Combine(RepositoryPaths.Root, "tests", "Captioner.Infra.Tests", "Harness", "app-settings.bicepparam");

    /// <summary>Every Bicep file under infra/.</summary>
    public static IEnumerable<string> BicepFiles =>
        Directory.EnumerateFiles(Infra, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    /// <summary>infra/main.bicep as ARM JSON.</summary>
    public static JsonObject Main => CompiledMain.Value;

    /// <summary>The settings (name to value) of the captioning or the training app.</summary>
    public static IReadOnlyDictionary<string, string> Settings(string role) =>
        EvaluatedHarness.Value[role]!["value"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);

    /// <summary>A value the harness evaluated (storage, trainingScaleQueues).</summary>
    public static JsonNode Evaluated(string name) => EvaluatedHarness.Value[name]!["value"]!;

    /// <summary>The module deployment <paramref name="symbolicName"/> of main.bicep.</summary>
    public static JsonObject Module(string symbolicName) =>
        Main["resources"]![symbolicName]?.AsObject() ?? throw new KeyNotFoundException("main.bicep has no module " + symbolicName);

    /// <summary>The resources a module deploys (references to existing ones left out); templates list them in an array or by symbolic name.</summary>
    public static IReadOnlyList<JsonObject> Resources(JsonObject module)
    {
        var resources = module["properties"]!["template"]!["resources"]!;
        var all = resources is JsonObject bySymbolicName ? bySymbolicName.Select(r => r.Value!) : resources.AsArray().Select(r => r!);
        return all.Select(r => r.AsObject()).Where(r => r["existing"]?.GetValue<bool>() != true).ToList();
    }

    /// <summary>The one resource of <paramref name="type"/> a module deploys.</summary>
    public static JsonObject Resource(string module, string type) =>
        Assert.Single(Resources(Module(module)), r => (string?)r["type"] == type);

    /// <summary>A variable of a module's template.</summary>
    public static JsonNode? ModuleVariable(string module, string variable) =>
        Module(module)["properties"]!["template"]!["variables"]?[variable];

    /// <summary>Every deployed resource of every module, with the module it is in.</summary>
    public static IEnumerable<(string Module, JsonObject Resource)> AllResources() =>
        Main["resources"]!.AsObject()
            .Where(m => (string?)m.Value!["type"] == "Microsoft.Resources/deployments")
            .SelectMany(m => Resources(m.Value!.AsObject()).Select(r => (m.Key, r)));

    /// <summary>A parameter value main.bicep passes to a module (a literal, or an ARM expression string).</summary>
    public static JsonNode? ModuleParameter(string module, string parameter) =>
        Module(module)["properties"]!["parameters"]![parameter]?["value"];

    private static JsonObject Compile(string file)
    {
        var result = BicepCli.Run("build", file, "--stdout");
        Assert.True(result.ExitCode == 0, result.StandardError);
        return JsonNode.Parse(result.StandardOutput)!.AsObject();
    }

    private static JsonObject EvaluateHarness()
    {
        var result = BicepCli.Run("build-params", Harness, "--stdout");
        Assert.True(result.ExitCode == 0, result.StandardError);
        var parameters = JsonNode.Parse(result.StandardOutput)!["parametersJson"]!.GetValue<string>();
        return JsonNode.Parse(parameters)!["parameters"]!.AsObject();
    }
}
