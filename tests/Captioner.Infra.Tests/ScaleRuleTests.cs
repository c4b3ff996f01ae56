using System.Text.Json.Nodes;
using Captioner.TestSupport;

namespace Captioner.Infra.Tests;

/// <summary>
/// Both apps scale by rules of their own, which a kind functionapp app accepts only with allowScalingRuleOverride
/// (API 2026-03-02-preview and later): an azure-queue rule, read with the app's identity, for every queue it reads, and HTTP.
/// </summary>
public class ScaleRuleTests
{
    public static TheoryData<string> Apps => new(["captioningApp", "trainingApp"]);

    [Theory]
    [MemberData(nameof(Apps))]
    public void App_uses_an_API_version_that_allows_overriding_the_generated_rules_and_sets_the_override(string module)
    {
        var app = Templates.Resource(module, "Microsoft.App/containerApps");
        var scale = app["properties"]!["template"]!["scale"]!;

        Assert.True(string.CompareOrdinal((string?)app["apiVersion"], "2026-03-02-preview") >= 0, (string?)app["apiVersion"]);
        Assert.True((bool)scale["allowScalingRuleOverride"]!);
        Assert.Equal("[concat(variables('queueRules'), createArray(variables('httpRule')))]", (string?)scale["rules"]);
    }

    [Fact]
    public void Queue_rules_read_each_queue_with_the_apps_identity_and_wake_it_on_one_message()
    {
        var copy = Assert.Single(Templates.Module("captioningApp")["properties"]!["template"]!["variables"]!["copy"]!.AsArray(), c => (string?)c!["name"] == "queueRules")!;
        var rule = copy["input"]!["azureQueue"]!;

        Assert.Equal("[length(parameters('scaleQueues'))]", (string?)copy["count"]);
        Assert.Equal("[parameters('identityId')]", (string?)rule["identity"]);
        Assert.Equal("[parameters('storageAccountName')]", (string?)rule["accountName"]);
        Assert.Equal(1, (int)rule["queueLength"]!);
    }

    [Fact]
    public void Captioning_app_scales_on_every_pipeline_queue_and_training_app_on_its_task_hub_queues()
    {
        var triggered = FunctionsApp.Functions().Values.SelectMany(b => b).Where(b => (string?)b["type"] == "queueTrigger").Select(b => (string?)b["queueName"]).ToHashSet();

        Assert.Equal("[variables('storageNames').pipelineQueues]", (string?)Templates.ModuleParameter("captioningApp", "scaleQueues"));
        Assert.Equal(triggered.Order(StringComparer.Ordinal), Templates.Evaluated("storage")["pipelineQueues"]!.AsArray().Select(q => (string?)q).Order(StringComparer.Ordinal));
        Assert.Equal("[variables('durableTaskQueues')]", (string?)Templates.ModuleParameter("trainingApp", "scaleQueues"));
    }

    [Fact]
    public void Http_rule_adds_a_replica_at_the_concurrency_host_json_lets_one_replica_run()
    {
        var variables = Templates.Module("captioningApp")["properties"]!["template"]!["variables"]!;
        var http = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!["extensions"]!["http"]!;

        Assert.Equal("[variables('$fxv#0').extensions.http.maxConcurrentRequests]", (string?)variables["httpConcurrency"]);
        Assert.Equal((int)http["maxConcurrentRequests"]!, (int)variables["$fxv#0"]!["extensions"]!["http"]!["maxConcurrentRequests"]!);
        Assert.Equal("[string(variables('httpConcurrency'))]", (string?)variables["httpRule"]!["http"]!["metadata"]!["concurrentRequests"]);
    }
}
