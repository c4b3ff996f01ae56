using System.Reflection;
using Captioner.Core.Storage;

namespace Captioner.Infra.Tests;

/// <summary>The templates create what the code names, and deliver upload events where the captioning app reads them.</summary>
public class StorageTests
{
    [Fact]
    public void Every_container_queue_and_table_the_code_names_is_created()
    {
        var storage = Templates.Evaluated("storage");
        var created = new[] { "containers", "queues", "tables" }
            .SelectMany(kind => storage[kind]!.AsArray().Select(name => (string)name!))
            .ToHashSet(StringComparer.Ordinal);
        var names = new StorageNames();

        foreach (var property in typeof(StorageNames).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string)))
        {
            var name = (string)property.GetValue(names)!;
            Assert.True(created.Contains(name), $"StorageNames.{property.Name} = '{name}' is not created by infra/app/settings.bicep storageNames");
        }
    }

    [Fact]
    public void Every_queue_and_container_a_function_is_triggered_by_is_created()
    {
        var storage = Templates.Evaluated("storage");
        var queues = storage["queues"]!.AsArray().Select(q => (string?)q).ToList();
        var containers = storage["containers"]!.AsArray().Select(c => (string?)c).ToList();

        foreach (var (name, bindings) in FunctionsApp.Functions())
        {
            foreach (var binding in bindings)
            {
                switch ((string?)binding["type"])
                {
                    case "queueTrigger":
                        Assert.True(queues.Contains((string?)binding["queueName"]), $"{name} reads queue {binding["queueName"]}, which the templates do not create");
                        break;
                    case "blobTrigger":
                        Assert.True(containers.Contains(((string?)binding["path"])?.Split('/')[0]), $"{name} watches {binding["path"]}, whose container the templates do not create");
                        break;
                }
            }
        }
    }

    [Fact]
    public void Every_pipeline_queue_has_its_poison_queue_created_beside_it()
    {
        var storage = Templates.Evaluated("storage");
        var queues = storage["queues"]!.AsArray().Select(q => (string?)q).ToList();
        var triggered = FunctionsApp.Functions().Values.SelectMany(b => b).Where(b => (string?)b["type"] == "queueTrigger").Select(b => (string)b["queueName"]!).Distinct().ToList();

        Assert.Equal(new StorageNames().PipelineQueues.Order(StringComparer.Ordinal), triggered.Order(StringComparer.Ordinal));
        Assert.All(triggered, queue => Assert.Contains(queue + "-poison", queues));
    }

    [Fact]
    public void Blob_created_events_of_images_are_delivered_to_the_image_events_queue_with_the_topics_identity()
    {
        var storage = Templates.Evaluated("storage");
        var subscription = Templates.Resource("imageEvents", "Microsoft.EventGrid/systemTopics/eventSubscriptions")["properties"]!;
        var delivery = subscription["deliveryWithResourceIdentity"]!;

        Assert.Equal(StorageNames.Images, (string?)storage["imagesContainer"]);
        Assert.Equal(StorageNames.ImageEvents, (string?)storage["imageEventsQueue"]);
        Assert.Contains((string?)storage["imageEventsQueue"], storage["queues"]!.AsArray().Select(q => (string?)q));
        Assert.Equal("[variables('storageNames').imagesContainer]", (string?)Templates.ModuleParameter("imageEvents", "containerName"));
        Assert.Equal("[variables('storageNames').imageEventsQueue]", (string?)Templates.ModuleParameter("imageEvents", "queueName"));
        Assert.Equal(["Microsoft.Storage.BlobCreated"], subscription["filter"]!["includedEventTypes"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("[format('/blobServices/default/containers/{0}/blobs/', parameters('containerName'))]", (string?)subscription["filter"]!["subjectBeginsWith"]);
        Assert.Equal("StorageQueue", (string?)delivery["destination"]!["endpointType"]);
        Assert.Equal("[parameters('queueName')]", (string?)delivery["destination"]!["properties"]!["queueName"]);
        Assert.Equal("SystemAssigned", (string?)delivery["identity"]!["type"]);
    }

    [Fact]
    public void Training_app_wakes_on_the_queues_of_the_task_hub_in_host_json()
    {
        var (hub, partitions) = FunctionsApp.TaskHub();
        var expected = Enumerable.Range(0, partitions).Select(p => $"{hub.ToLowerInvariant()}-control-{p:00}").Append($"{hub.ToLowerInvariant()}-workitems");

        Assert.Equal(expected, Templates.Evaluated("trainingScaleQueues").AsArray().Select(q => (string?)q));
        Assert.Equal("[variables('durableTaskQueues')]", (string?)Templates.ModuleParameter("trainingApp", "scaleQueues"));
    }
}
