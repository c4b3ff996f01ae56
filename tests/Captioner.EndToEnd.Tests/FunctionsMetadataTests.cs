using System.Reflection;
using System.Text.Json;
using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>
/// The Functions host cannot run here, so the generated functions.metadata is checked against the
/// triggers the local host runs: same function names, trigger kinds, paths, queues and connections.
/// </summary>
public class FunctionsMetadataTests
{
    [Fact]
    public void Every_storage_trigger_of_the_functions_app_runs_the_same_way_on_the_local_host_uploads_included()
    {
        var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Output("Captioner.Functions"), "functions.metadata"))).RootElement;
        var functionsApp = metadata.EnumerateArray()
            .Select(f => (Name: f.GetProperty("name").GetString()!, Trigger: f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal))))
            .ToList();
        var localHost = LocalTriggers();

        var storageTriggers = functionsApp.Where(f => f.Trigger.GetProperty("type").GetString() is "blobTrigger" or "queueTrigger").ToList();
        Assert.Equal(["BulkRequested", "CaptionRequested", "FeaturesQueued", "ImageUploaded"], storageTriggers.Select(f => f.Name).Order());
        Assert.Equal(storageTriggers.Select(f => f.Name).Order(), localHost.Keys.Order());
        foreach (var (name, trigger) in storageTriggers)
        {
            var local = localHost[name];
            Assert.Equal(trigger.GetProperty("type").GetString(), local.Type);
            Assert.Equal(trigger.GetProperty("connection").GetString(), local.Connection);
            var path = trigger.TryGetProperty("path", out var p) ? p.GetString() : trigger.GetProperty("queueName").GetString();
            Assert.Equal(path, local.PathOrQueue);
        }

        // Uploads arrive as blob-created events on image-events: from Event Grid in Azure, from the local host's stand-in here.
        Assert.Equal(("queueTrigger", "image-events", "AzureWebJobsStorage"), localHost["ImageUploaded"]);
    }

    [Fact]
    public void The_local_host_takes_its_queue_settings_from_the_functions_apps_host_json()
    {
        var folder = RepositoryPaths.Output("Captioner.LocalHost");
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "host.json")), File.ReadAllBytes(Path.Combine(folder, "host.json")));

        var hostJson = Assembly.LoadFrom(Path.Combine(folder, "Captioner.LocalHost.dll")).GetType("Captioner.LocalHost.HostJson", throwOnError: true)!;
        var section = (Microsoft.Extensions.Configuration.IConfigurationSection)hostJson.GetMethod("QueuesSection")!.Invoke(null, [folder])!;
        var queues = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json"))).RootElement.GetProperty("extensions").GetProperty("queues");
        Assert.Equal(queues.EnumerateObject().Select(p => (p.Name, p.Value.ToString())).Order(), section.GetChildren().Select(c => (c.Key, c.Value!)).Order());
    }

    [Fact]
    public void The_triggers_read_the_pipeline_queues_by_their_declared_names_over_the_one_connection_setting()
    {
        var localHost = LocalTriggers();

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["ImageUploaded"] = Core.Storage.StorageNames.ImageEvents,
                ["FeaturesQueued"] = Core.Storage.StorageNames.Features,
                ["CaptionRequested"] = Core.Storage.StorageNames.CaptionRequests,
                ["BulkRequested"] = Core.Storage.StorageNames.BulkRequests,
            }.OrderBy(p => p.Key),
            localHost.Select(t => KeyValuePair.Create(t.Key, t.Value.PathOrQueue)).OrderBy(p => p.Key));
        Assert.All(localHost.Values, trigger => Assert.Equal(Core.Storage.StorageNames.ConnectionSetting, trigger.Connection));
        Assert.Equal(new Core.Storage.StorageNames().PipelineQueues.Order(), localHost.Values.Select(t => t.PathOrQueue).Order());
    }

    [Fact]
    public void The_functions_app_declares_every_route_of_the_shared_http_surface_each_api_route_behind_a_function_key_and_only_the_page_anonymous()
    {
        var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Output("Captioner.Functions"), "functions.metadata"))).RootElement;
        var triggers = metadata.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .ToList();
        var routes = triggers
            .SelectMany(b => b.GetProperty("methods").EnumerateArray().Select(m => (Method: m.GetString()!.ToUpperInvariant(), Route: b.GetProperty("route").GetString()!)))
            .Select(r => r.Route == Functions.PageApi.RootRoute ? (r.Method, Route: string.Empty) : r)
            .Order()
            .ToList();

        // The local host maps the same list (CaptionerApiRoutes.MapCaptionerApi); HttpSurfaceTests call both.
        Assert.Equal(Captioner.Hosting.Http.CaptionerApiRoutes.All.Order(), routes);
        // The page's three files hold no secret and are served without a key, so none has to be in its address.
        var anonymous = triggers.Where(t => string.Equals(t.GetProperty("authLevel").GetString(), "anonymous", StringComparison.OrdinalIgnoreCase)).Select(t => t.GetProperty("route").GetString()).Order().ToList();
        Assert.Equal(new[] { Functions.PageApi.RootRoute, "page/{file}" }.Order(), anonymous);
        Assert.All(triggers.Where(t => t.GetProperty("route").GetString()!.StartsWith("api/", StringComparison.Ordinal)), t => Assert.Equal("function", t.GetProperty("authLevel").GetString(), ignoreCase: true));
        Assert.Equal(triggers.Count, anonymous.Count + triggers.Count(t => t.GetProperty("route").GetString()!.StartsWith("api/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_training_orchestrator_and_activity_class_is_a_function_of_its_name_in_the_functions_app()
    {
        var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Output("Captioner.Functions"), "functions.metadata"))).RootElement;
        var durable = metadata.EnumerateArray()
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() is "orchestrationTrigger" or "activityTrigger"))
            .Select(f => f.GetProperty("name").GetString()!)
            .Order()
            .ToList();
        var training = Assembly.LoadFrom(Path.Combine(RepositoryPaths.Output("Captioner.LocalHost"), "Captioner.Training.dll"));
        var classes = training.GetExportedTypes()
            .Where(t => !t.IsAbstract && t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition().Name is "TaskActivity`2" or "TaskOrchestrator`2")
            .Select(t => t.Name)
            .Order()
            .ToList();

        Assert.Equal(9, classes.Count);
        Assert.Equal(classes, durable);
    }

    private static Dictionary<string, (string Type, string PathOrQueue, string Connection)> LocalTriggers()
    {
        // Resolve the host's dependencies (WebJobs, ASP.NET Core) from its own output folder.
        var folder = RepositoryPaths.Output("Captioner.LocalHost");
        System.Runtime.Loader.AssemblyLoadContext.Default.Resolving += (context, name) =>
            File.Exists(Path.Combine(folder, name.Name + ".dll")) ? context.LoadFromAssemblyPath(Path.Combine(folder, name.Name + ".dll")) : null;
        var assembly = Assembly.LoadFrom(Path.Combine(folder, "Captioner.LocalHost.dll"));
        var triggers = new Dictionary<string, (string, string, string)>();
        foreach (var method in assembly.GetType("Captioner.LocalHost.LocalFunctions", throwOnError: true)!.GetMethods())
        {
            var functionName = method.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "FunctionNameAttribute");
            if (functionName is null)
            {
                continue;
            }

            var trigger = method.GetParameters().SelectMany(p => p.GetCustomAttributesData()).Single(a => a.AttributeType.Name == "QueueTriggerAttribute");
            const string type = "queueTrigger";
            var connection = (string)trigger.NamedArguments.Single(n => n.MemberName == "Connection").TypedValue.Value!;
            triggers[(string)functionName.ConstructorArguments[0].Value!] = (type, (string)trigger.ConstructorArguments[0].Value!, connection);
        }

        return triggers;
    }
}
