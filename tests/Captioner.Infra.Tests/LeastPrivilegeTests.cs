using System.Text.Json.Nodes;

namespace Captioner.Infra.Tests;

/// <summary>
/// Each app has its own identity with data roles on exactly the containers, queues and tables it uses (settings.bicep
/// dataAccess), never on the account: the captioning app, which decodes untrusted images, cannot write models or
/// training data, nor reach the training app's host keys.
/// </summary>
public class LeastPrivilegeTests
{
    private const string BlobReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
    private const string BlobContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

    [Fact]
    public void Each_app_runs_as_an_identity_of_its_own()
    {
        var apps = SecurityTests.Apps().ToList();

        Assert.Equal("[reference('captioningIdentity').outputs.id.value]", (string?)Templates.ModuleParameter("captioningApp", "identityId"));
        Assert.Equal("[reference('trainingIdentity').outputs.id.value]", (string?)Templates.ModuleParameter("trainingApp", "identityId"));
        Assert.Equal("[reference('captioningIdentity').outputs.principalId.value]", (string?)Templates.ModuleParameter("captioningStorageAccess", "principalId"));
        Assert.Equal("[reference('trainingIdentity').outputs.principalId.value]", (string?)Templates.ModuleParameter("trainingStorageAccess", "principalId"));
        Assert.NotEqual((string?)Templates.ModuleParameter("captioningIdentity", "name"), (string?)Templates.ModuleParameter("trainingIdentity", "name"));
        Assert.Equal(2, apps.Count);
    }

    [Fact]
    public void Apps_roles_are_scoped_to_single_containers_queues_and_tables_never_the_account()
    {
        foreach (var module in new[] { "captioningStorageAccess", "trainingStorageAccess" })
        {
            var scopes = Templates.Resources(Templates.Module(module)).Select(r => ScopeType((string?)r["scope"])).Order(StringComparer.Ordinal);

            Assert.Equal(
                ["Microsoft.Storage/storageAccounts/blobServices/containers", "Microsoft.Storage/storageAccounts/queueServices/queues", "Microsoft.Storage/storageAccounts/tableServices/tables"],
                scopes);
        }
    }

    [Fact]
    public void Captioning_app_writes_only_images_captions_the_current_model_pointer_and_corrections()
    {
        var containers = Grants("captioning");

        // In the training container it reaches people's corrections alone: reads included, nothing else there.
        var training = Assert.Single(containers, g => g.Name == "training");
        Assert.Equal(new Grant("training", BlobContributor, "corrections/", OnlyPrefix: true), training);
        Assert.Equal([BlobContributor, BlobContributor, BlobContributor], containers.Where(g => g.Name is "images" or "captions" or "thumbnails").Select(g => g.Role));
        var models = containers.Where(g => g.Name == "models").ToList();
        Assert.Contains(models, g => g.Role == BlobReader && g.WritablePrefix == string.Empty);
        Assert.All(models.Where(g => g.Role != BlobReader), g => Assert.Equal("current.json", g.WritablePrefix));
    }

    [Fact]
    public void Each_app_reaches_only_its_own_keys_in_the_hosts_secrets_container()
    {
        var hostIds = Templates.Evaluated("hosts");
        var secrets = (string)Templates.Evaluated("hostStorage")["secrets"]!;

        foreach (var role in new[] { "captioning", "training" })
        {
            var grant = Assert.Single(Grants(role), g => g.Name == secrets);
            Assert.Equal($"{hostIds[role]}/", grant.WritablePrefix);
            Assert.Equal((string)hostIds[role]!, Templates.Settings(role)["AzureFunctionsWebHost__hostid"]);
        }

        Assert.NotEqual((string?)hostIds["captioning"], (string?)hostIds["training"]);
    }

    [Fact]
    public void A_grant_with_a_writable_prefix_carries_an_ABAC_condition_on_the_blob_path_and_list_prefix()
    {
        var assignment = Assert.Single(Templates.Resources(Templates.Module("captioningStorageAccess")), r => ScopeType((string?)r["scope"]) == "Microsoft.Storage/storageAccounts/blobServices/containers");
        var properties = (string?)assignment["properties"] ?? string.Empty;

        Assert.Contains("if(empty(parameters('containers')[copyIndex()].writablePrefix), createObject(), createObject('conditionVersion', '2.0', 'condition', if(coalesce(tryGet(parameters('containers')[copyIndex()], 'onlyPrefix'), false()), __bicep.onlyUnder(parameters('containers')[copyIndex()].writablePrefix), __bicep.writesOnlyUnder(parameters('containers')[copyIndex()].writablePrefix))))", properties, StringComparison.Ordinal);
        var condition = Templates.Evaluated("currentModelCondition").GetValue<string>();
        foreach (var action in new[] { "blobs/write", "blobs/add/action", "blobs/delete", "blobs/move/action" })
        {
            Assert.Contains($"!(ActionMatches{{'Microsoft.Storage/storageAccounts/blobServices/containers/{action}'}})", condition, StringComparison.Ordinal);
        }

        Assert.Contains("!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND SubOperationMatches{'Blob.List'})", condition, StringComparison.Ordinal);
        Assert.EndsWith(" OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'current.json') OR (@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix] StringStartsWith 'current.json'))", condition, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_app_alone_writes_models_and_training_data_and_owns_the_task_hub()
    {
        var training = Grants("training");
        var access = Templates.Evaluated("access");

        Assert.All(new[] { "training", "models" }, name => Assert.Contains(training, g => g.Name == name && g.Role == BlobContributor && g.WritablePrefix.Length == 0));
        Assert.DoesNotContain(training, g => g.Name is "images" or "captions" or "thumbnails");
        Assert.Equal(Templates.Evaluated("trainingScaleQueues").AsArray().Select(q => (string?)q), access["training"]!["queues"]!.AsArray().Select(q => (string?)q));
        Assert.DoesNotContain("bulkjobs", access["training"]!["tables"]!.AsArray().Select(t => (string?)t));
        Assert.All(access["training"]!["tables"]!.AsArray(), t => Assert.StartsWith("Captioner", (string?)t, StringComparison.Ordinal));
    }

    [Fact]
    public void Captioning_app_reads_its_pipeline_queues_and_their_poison_queues_and_no_task_hub_queue()
    {
        var queues = Templates.Evaluated("access")["captioning"]!["queues"]!.AsArray().Select(q => (string)q!).ToList();
        var pipeline = Templates.Evaluated("storage")["pipelineQueues"]!.AsArray().Select(q => (string)q!).ToList();

        Assert.Equal(pipeline.Concat(pipeline.Select(q => q + "-poison")).Order(StringComparer.Ordinal), queues.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_resource_an_app_is_granted_is_created_by_the_templates()
    {
        var storage = Templates.Evaluated("storage");
        var access = Templates.Evaluated("access");

        foreach (var role in new[] { "captioning", "training" })
        {
            Assert.All(Grants(role), g => Assert.Contains(g.Name, storage["containers"]!.AsArray().Select(c => (string?)c)));
            Assert.All(access[role]!["queues"]!.AsArray(), q => Assert.Contains((string?)q, storage["queues"]!.AsArray().Select(c => (string?)c)));
            Assert.All(access[role]!["tables"]!.AsArray(), t => Assert.Contains((string?)t, storage["tables"]!.AsArray().Select(c => (string?)c)));
        }
    }

    private sealed record Grant(string Name, string Role, string WritablePrefix, bool OnlyPrefix = false);

    private static List<Grant> Grants(string role) =>
        Templates.Evaluated("access")[role]!["containers"]!.AsArray()
            .Select(g => new Grant((string)g!["name"]!, (string)g["role"]!, (string)g["writablePrefix"]!, (bool?)g["onlyPrefix"] ?? false)).ToList();

    private static string ScopeType(string? scope)
    {
        var match = System.Text.RegularExpressions.Regex.Match(scope ?? string.Empty, @"^\[resourceId\('([^']*)'");
        Assert.True(match.Success, "scope is not a resource: " + scope);
        return match.Groups[1].Value;
    }
}
