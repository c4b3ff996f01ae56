namespace Captioner.Infra.Tests;

/// <summary>Every setting the code reads is set by the templates, in one shared place, for both apps.</summary>
public class AppSettingsTests
{
    public static TheoryData<string> Roles => new(["captioning", "training"]);

    [Theory]
    [MemberData(nameof(Roles))]
    public void Every_setting_of_the_local_settings_sample_is_set_for_the_app(string role)
    {
        var settings = Templates.Settings(role);
        var missing = FunctionsApp.SampleSettingKeys().Where(key => !FunctionsApp.IsLocalOnly(key) && !settings.ContainsKey(key)).ToList();

        Assert.True(missing.Count == 0, $"set in local.settings.sample.json but not by infra/app/settings.bicep for the {role} app: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Templates_set_no_Captioner_setting_the_local_settings_sample_lacks()
    {
        var sample = FunctionsApp.SampleSettingKeys().ToHashSet(StringComparer.Ordinal);

        foreach (var role in new[] { "captioning", "training" })
        {
            var stale = Templates.Settings(role).Keys.Where(key => key.StartsWith("Captioner__", StringComparison.Ordinal) && !sample.Contains(key)).ToList();
            Assert.True(stale.Count == 0, "not in local.settings.sample.json: " + string.Join(", ", stale));
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Host_storage_connection_is_identity_based_with_the_user_assigned_identity(string role)
    {
        var settings = Templates.Settings(role);

        Assert.False(settings.ContainsKey("AzureWebJobsStorage"));
        Assert.Equal("stcaptionertest", settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("00000000-0000-0000-0000-00000000c11d", settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("dotnet-isolated", settings["FUNCTIONS_WORKER_RUNTIME"]);
    }

    [Fact]
    public void Both_apps_take_their_settings_from_the_shared_appSettings_function_for_their_role()
    {
        Assert.StartsWith("[__bicep.appSettings('captioning', reference('storage').outputs.name.value, reference('captioningIdentity').outputs.clientId.value, ", (string?)Templates.ModuleParameter("captioningApp", "settings"), StringComparison.Ordinal);
        Assert.StartsWith("[__bicep.appSettings('training', reference('storage').outputs.name.value, reference('trainingIdentity').outputs.clientId.value, ", (string?)Templates.ModuleParameter("trainingApp", "settings"), StringComparison.Ordinal);
        foreach (var app in SecurityTests.Apps())
        {
            var env = app["properties"]!["template"]!["containers"]![0]!["copy"]![0]!;
            Assert.Equal("env", (string?)env["name"]);
            Assert.Equal("[length(items(parameters('settings')))]", (string?)env["count"]);
        }
    }

    [Fact]
    public void The_captioning_apps_page_calls_the_training_app_at_its_address_and_the_training_app_allows_that_origin()
    {
        Assert.Equal("https://ca-train-test.example.invalid", Templates.Settings("captioning")["Captioner__TrainingApiUrl"]);
        Assert.Equal(string.Empty, Templates.Settings("training")["Captioner__TrainingApiUrl"]);

        // Both addresses are the apps' names under the environment's domain, the names the apps are deployed with.
        Assert.Equal("[variables('captioningAppName')]", (string?)Templates.ModuleParameter("captioningApp", "name"));
        Assert.Equal("[variables('trainingAppName')]", (string?)Templates.ModuleParameter("trainingApp", "name"));
        var settings = (string?)Templates.ModuleParameter("captioningApp", "settings");
        Assert.Contains("variables('trainingAppName'), reference('environment').outputs.defaultDomain.value", settings, StringComparison.Ordinal);
        var origin = Assert.Single(Templates.ModuleParameter("trainingApp", "corsAllowedOrigins")!.AsArray())!.GetValue<string>();
        Assert.Contains("variables('captioningAppName'), reference('environment').outputs.defaultDomain.value", origin, StringComparison.Ordinal);
        Assert.Null(Templates.ModuleParameter("captioningApp", "corsAllowedOrigins"));

        // The page calls the training app with its key in a header, never in the address.
        var cors = (string?)SecurityTests.Apps().ElementAt(1)["properties"]!["configuration"]!["ingress"]!["corsPolicy"]?.ToJsonString();
        Assert.Contains("x-functions-key", cors, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void App_listens_on_the_port_its_ingress_targets(string role)
    {
        var app = SecurityTests.Apps().ElementAt(role == "captioning" ? 0 : 1);
        var port = (int)Templates.Module(role + "App")["properties"]!["template"]!["variables"]!["functionsPort"]!;

        Assert.Equal("[variables('functionsPort')]", (string?)app["properties"]!["configuration"]!["ingress"]!["targetPort"]);
        Assert.Equal($"http://+:{port}", Templates.Settings(role)["ASPNETCORE_URLS"]);
    }
}
