using System.Text.Json.Nodes;

namespace Captioner.Infra.Tests;

/// <summary>The security properties of the compiled templates: Entra ID only, least-privilege roles at the narrowest scope, no secrets.</summary>
public class SecurityTests
{
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string QueueDataMessageSender = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a";
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string RoleAssignment = "Microsoft.Authorization/roleAssignments";

    [Fact]
    public void Storage_account_takes_Entra_ID_only_over_HTTPS_and_TLS_1_2_with_no_public_blob_access()
    {
        var account = Single("Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False((bool)account["allowSharedKeyAccess"]!);
        Assert.True((bool)account["defaultToOAuthAuthentication"]!);
        Assert.False((bool)account["allowBlobPublicAccess"]!);
        Assert.Equal("TLS1_2", (string?)account["minimumTlsVersion"]);
        Assert.True((bool)account["supportsHttpsTrafficOnly"]!);
        Assert.All(OfType("Microsoft.Storage/storageAccounts/blobServices/containers"), c => Assert.Equal("None", (string?)c["properties"]!["publicAccess"]));
    }

    [Fact]
    public void Deleted_or_overwritten_blobs_and_containers_such_as_models_can_be_restored()
    {
        var blobService = Single("Microsoft.Storage/storageAccounts/blobServices")["properties"]!;

        Assert.True((bool)blobService["deleteRetentionPolicy"]!["enabled"]!);
        Assert.True((bool)blobService["containerDeleteRetentionPolicy"]!["enabled"]!);
        Assert.Contains("models", Templates.Evaluated("storage")["containers"]!.AsArray().Select(c => (string?)c));
    }

    [Fact]
    public void Deploying_user_may_only_read_and_write_blobs_to_upload_images_datasets_and_the_default_model()
    {
        Assert.Equal("Microsoft.Storage/storageAccounts", ScopeType(Templates.Resource("userStorageAccess", RoleAssignment)));
        Assert.Equal("[variables('dataRoles').blobContributor]", (string?)Templates.ModuleParameter("userStorageAccess", "roleDefinitionId"));
        Assert.Equal(BlobDataContributor, (string?)Templates.Evaluated("roles")["blobContributor"]);
        Assert.Equal("[not(empty(parameters('principalId')))]", (string?)Templates.Module("userStorageAccess")["condition"]);
    }

    [Fact]
    public void Every_role_assignment_is_scoped_to_one_resource_never_the_group_or_subscription()
    {
        var assignments = Templates.AllResources().Where(r => (string?)r.Resource["type"] == "Microsoft.Authorization/roleAssignments").ToList();

        Assert.Equal(
            ["captioningStorageAccess", "captioningTelemetryAccess", "imageEvents", "registry", "trainingStorageAccess", "trainingTelemetryAccess", "userStorageAccess"],
            assignments.Select(a => a.Module).Distinct().Order(StringComparer.Ordinal));
        Assert.All(assignments, a => Assert.StartsWith("[resourceId('Microsoft.", (string?)a.Resource["scope"], StringComparison.Ordinal));
        Assert.DoesNotContain(Templates.Main["resources"]!.AsObject(), r => (string?)r.Value!["type"] == "Microsoft.Authorization/roleAssignments");
    }

    [Fact]
    public void Event_Grid_topic_may_only_send_messages_to_the_image_events_queue()
    {
        var send = Templates.Resource("imageEvents", RoleAssignment);
        var topic = Templates.Resource("imageEvents", "Microsoft.EventGrid/systemTopics");

        Assert.Equal("Microsoft.Storage/storageAccounts/queueServices/queues", ScopeType(send));
        Assert.Equal(QueueDataMessageSender, RoleId("imageEvents", send));
        Assert.Equal("SystemAssigned", (string?)topic["identity"]!["type"]);
        var principal = (string?)send["properties"]!["principalId"];
        Assert.StartsWith("[reference(resourceId('Microsoft.EventGrid/systemTopics'", principal, StringComparison.Ordinal);
        Assert.EndsWith(".identity.principalId]", principal, StringComparison.Ordinal);
    }

    [Fact]
    public void Apps_pull_their_image_with_their_identities_from_a_registry_without_admin_user()
    {
        var pullRole = Templates.Resource("registry", RoleAssignment);

        Assert.Equal(["[reference('captioningIdentity').outputs.principalId.value]", "[reference('trainingIdentity').outputs.principalId.value]"],
            Templates.ModuleParameter("registry", "pullPrincipalIds")!.AsArray().Select(p => (string?)p));
        Assert.False((bool)Templates.Resource("registry", "Microsoft.ContainerRegistry/registries")["properties"]!["adminUserEnabled"]!);
        Assert.Equal(AcrPull, RoleId("registry", pullRole));
        Assert.Equal("Microsoft.ContainerRegistry/registries", ScopeType(pullRole));
        foreach (var app in Apps())
        {
            var pull = Assert.Single(app["properties"]!["configuration"]!["registries"]!.AsArray())!;
            Assert.Equal("[parameters('identityId')]", (string?)pull["identity"]);
            Assert.Null(pull["passwordSecretRef"]);
        }
    }

    [Fact]
    public void Telemetry_is_sent_with_Entra_ID_only()
    {
        var publisher = Templates.Resource("captioningTelemetryAccess", RoleAssignment);

        Assert.True((bool)Templates.Resource("monitoring", "Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!);
        Assert.Equal("Microsoft.Insights/components", ScopeType(publisher));
        Assert.Equal(MonitoringMetricsPublisher, RoleId("captioningTelemetryAccess", publisher));
        foreach (var role in new[] { "captioning", "training" })
        {
            var settings = Templates.Settings(role);
            Assert.Equal($"ClientId={settings["AzureWebJobsStorage__clientId"]};Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        }
    }

    [Fact]
    public void Environment_has_a_serverless_GPU_workload_profile_of_T4_or_A100_class_that_captioning_runs_on()
    {
        var environment = Templates.Module("environment");
        var profiles = Templates.Resource("environment", "Microsoft.App/managedEnvironments")["properties"]!["workloadProfiles"]!.AsArray();
        var gpu = Assert.Single(profiles, p => (string?)p!["name"] == "gpu")!;
        var allowed = environment["properties"]!["template"]!["parameters"]!["gpuProfileType"]!["allowedValues"]!.AsArray().Select(v => (string?)v);

        Assert.Equal("[parameters('gpuProfileType')]", (string?)gpu["workloadProfileType"]);
        Assert.Equal(["Consumption-GPU-NC8as-T4", "Consumption-GPU-NC24-A100"], allowed);
        Assert.Equal("gpu", (string?)Templates.ModuleParameter("captioningApp", "workloadProfileName"));
        Assert.Equal(["T4", "A100"], Templates.Main["parameters"]!["gpuProfile"]!["allowedValues"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public void Both_apps_are_Functions_on_Container_Apps_with_HTTPS_only_ingress_and_a_user_assigned_identity()
    {
        foreach (var app in Apps())
        {
            Assert.Equal("functionapp", (string?)app["kind"]);
            Assert.Equal("UserAssigned", (string?)app["identity"]!["type"]);
            Assert.False((bool)app["properties"]!["configuration"]!["ingress"]!["allowInsecure"]!);
        }
    }

    [Fact]
    public void No_secret_is_in_the_templates_or_in_any_app_setting()
    {
        var json = Templates.Main.ToJsonString();

        Assert.DoesNotContain("listKeys", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listSecrets", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secretRef", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"securestring\"", json, StringComparison.OrdinalIgnoreCase);
        Assert.All(Apps(), app => Assert.Null(app["properties"]!["configuration"]!["secrets"]));
        foreach (var role in new[] { "captioning", "training" })
        {
            foreach (var (name, value) in Templates.Settings(role))
            {
                Assert.DoesNotContain("AccountKey=", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("SharedAccessSignature=", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("sig=", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("Password", value, StringComparison.OrdinalIgnoreCase);
                Assert.False(name.EndsWith("__clientSecret", StringComparison.OrdinalIgnoreCase), name);
            }

            Assert.False(Templates.Settings(role).ContainsKey("AzureWebJobsStorage"), "a storage connection string");
        }
    }

    internal static IEnumerable<JsonObject> Apps() =>
        new[] { "captioningApp", "trainingApp" }.Select(m => Templates.Resource(m, "Microsoft.App/containerApps"));

    private static IEnumerable<JsonObject> OfType(string type) =>
        Templates.AllResources().Where(r => (string?)r.Resource["type"] == type).Select(r => r.Resource);

    private static JsonObject Single(string type) => Assert.Single(OfType(type));

    /// <summary>The built-in role an assignment grants: its roleDefinitionId names a variable of the module holding the id.</summary>
    private static string RoleId(string module, JsonObject assignment)
    {
        var definition = (string?)assignment["properties"]!["roleDefinitionId"] ?? string.Empty;
        var variable = System.Text.RegularExpressions.Regex.Match(definition, @"variables\('(\w+)'\)");
        Assert.True(variable.Success, "role is not a named built-in role: " + definition);
        return (string)Templates.ModuleVariable(module, variable.Groups[1].Value)!;
    }

    /// <summary>The type of the one resource an assignment is scoped to, e.g. <c>Microsoft.Storage/storageAccounts</c>.</summary>
    private static string ScopeType(JsonObject assignment)
    {
        var scope = (string?)assignment["scope"] ?? string.Empty;
        var match = System.Text.RegularExpressions.Regex.Match(scope, @"^\[resourceId\('([^']*)'");
        Assert.True(match.Success, "scope is not a resource: " + scope);
        return match.Groups[1].Value;
    }
}
