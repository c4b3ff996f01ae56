namespace Captioner.Infra.Tests;

/// <summary>
/// The captioning and training apps run one image; each function of it (functions.metadata of the
/// Functions project's build) runs in exactly one of them, switched off in the other with
/// <c>AzureWebJobs.&lt;name&gt;.Disabled</c>. A new function fails this until it joins a role in infra/app/settings.bicep.
/// </summary>
public class FunctionRoleTests
{
    private static readonly string[] Roles = ["captioning", "training"];

    [Fact]
    public void Every_function_of_the_app_runs_in_exactly_one_of_the_two_apps()
    {
        var functions = FunctionsApp.Functions();

        Assert.NotEmpty(functions);
        foreach (var name in functions.Keys)
        {
            var runsIn = Roles.Where(role => IsEnabled(role, name)).ToList();
            Assert.True(runsIn.Count == 1, $"{name} runs in {(runsIn.Count == 0 ? "neither app" : "both apps")}: add it to captioningFunctions or trainingFunctions in infra/app/settings.bicep");
        }
    }

    [Fact]
    public void Templates_switch_off_only_functions_the_app_has()
    {
        var functions = FunctionsApp.Functions();

        foreach (var role in Roles)
        {
            var unknown = Templates.Settings(role).Keys
                .Where(key => key.StartsWith("AzureWebJobs.", StringComparison.Ordinal) && key.EndsWith(".Disabled", StringComparison.Ordinal))
                .Select(key => key["AzureWebJobs.".Length..^".Disabled".Length])
                .Where(name => !functions.ContainsKey(name))
                .ToList();
            Assert.True(unknown.Count == 0, "no such function: " + string.Join(", ", unknown));
        }
    }

    [Fact]
    public void Pipeline_triggers_run_in_the_captioning_app_and_durable_functions_in_the_training_app()
    {
        foreach (var (name, bindings) in FunctionsApp.Functions())
        {
            var types = bindings.Select(b => (string?)b["type"]).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (types.Overlaps(["blobTrigger", "queueTrigger"]))
            {
                Assert.True(IsEnabled("captioning", name), name + " is a pipeline trigger: it belongs to the captioning app");
            }

            if (types.Overlaps(["orchestrationTrigger", "activityTrigger", "entityTrigger", "durableClient"]))
            {
                Assert.True(IsEnabled("training", name), name + " is part of the durable training job: it belongs to the training app");
            }
        }
    }

    private static bool IsEnabled(string role, string function) =>
        !(Templates.Settings(role).TryGetValue($"AzureWebJobs.{function}.Disabled", out var disabled) && bool.Parse(disabled));
}
