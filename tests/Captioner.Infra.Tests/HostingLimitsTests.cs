using System.Text.Json.Nodes;
using Captioner.TestSupport;

namespace Captioner.Infra.Tests;

/// <summary>Limits of the hosts: replicas and function timeout of the training app, HTTP concurrency of host.json, the CUDA requirement on GPU profiles.</summary>
public class HostingLimitsTests
{
    private static JsonNode HostJson => JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!;

    [Fact]
    public void Training_app_keeps_at_least_one_replica_because_Durable_Functions_on_Azure_Storage_cannot_wake_it()
    {
        var parameter = Templates.Main["parameters"]!["trainingMinReplicas"]!;
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(Templates.Infra, "main.parameters.json")))!["parameters"]!["trainingMinReplicas"]!["value"]!;

        Assert.True((int)parameter["minValue"]! >= 1);
        Assert.True((int)parameter["defaultValue"]! >= 1);
        Assert.Equal("${CAPTIONER_TRAINING_MIN_REPLICAS=1}", (string?)file);
        Assert.Equal("[parameters('trainingMinReplicas')]", (string?)Templates.ModuleParameter("trainingApp", "minReplicas"));
        Assert.Equal("[parameters('minReplicas')]", (string?)Templates.Resource("trainingApp", "Microsoft.App/containerApps")["properties"]!["template"]!["scale"]!["minReplicas"]);
    }

    [Fact]
    public void Training_functions_run_unbounded_while_captioning_keeps_host_jsons_ten_minutes()
    {
        Assert.Equal("-1", Templates.Settings("training")["AzureFunctionsJobHost__functionTimeout"]);
        Assert.False(Templates.Settings("captioning").ContainsKey("AzureFunctionsJobHost__functionTimeout"));
        Assert.Equal("00:10:00", (string?)HostJson["functionTimeout"]);
    }

    [Fact]
    public void Host_json_bounds_HTTP_concurrency_per_replica_and_the_queue_of_waiting_requests()
    {
        var http = HostJson["extensions"]!["http"]!;
        var concurrent = (int)http["maxConcurrentRequests"]!;
        var outstanding = (int)http["maxOutstandingRequests"]!;

        // A T4 replica has 8 vCPUs: two requests each (thumbnails decode on the CPU), four times that waiting, then 429.
        Assert.Equal(16, concurrent);
        Assert.Equal(64, outstanding);
        Assert.True(outstanding >= concurrent);
    }

    [Fact]
    public void Encoder_must_run_on_CUDA_on_GPU_profiles_and_may_run_on_the_CPU_elsewhere()
    {
        Assert.Equal("true", Templates.Settings("captioning")["Captioner__Encoder__RequireCuda"]);
        Assert.Equal("false", Templates.Settings("training")["Captioner__Encoder__RequireCuda"]);
        Assert.Equal("true", Templates.Settings("trainingOnGpu")["Captioner__Encoder__RequireCuda"]);
        Assert.EndsWith(", true())]", (string?)Templates.ModuleParameter("captioningApp", "settings"), StringComparison.Ordinal);
        Assert.EndsWith(", equals(parameters('trainingCompute'), 'gpu'))]", (string?)Templates.ModuleParameter("trainingApp", "settings"), StringComparison.Ordinal);
        Assert.Equal("gpu", (string?)Templates.ModuleParameter("captioningApp", "workloadProfileName"));
    }

    [Fact]
    public void Each_app_is_told_its_public_https_address_for_Location_and_statusUri()
    {
        Assert.Equal("https://ca-caption-test.example.invalid", Templates.Settings("captioning")["Captioner__PublicUrl"]);
        Assert.Equal("https://ca-train-test.example.invalid", Templates.Settings("training")["Captioner__PublicUrl"]);
        // Each app's own address (its name under the environment's domain) is the argument before onGpu.
        Assert.EndsWith("format('https://{0}.{1}', variables('captioningAppName'), reference('environment').outputs.defaultDomain.value), true())]", (string?)Templates.ModuleParameter("captioningApp", "settings"), StringComparison.Ordinal);
        Assert.EndsWith("format('https://{0}.{1}', variables('trainingAppName'), reference('environment').outputs.defaultDomain.value), equals(parameters('trainingCompute'), 'gpu'))]", (string?)Templates.ModuleParameter("trainingApp", "settings"), StringComparison.Ordinal);
    }
}
