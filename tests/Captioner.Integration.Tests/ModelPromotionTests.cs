using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Captioner.Core.Decoding;
using Captioner.Core.Models;
using Captioner.Core.Storage;
using Google.Protobuf;
using Onnx;

namespace Captioner.Integration.Tests;

/// <summary>
/// Promotion loads a version from Azurite as a worker would (real blobs, real ONNX Runtime sessions) and moves the
/// pointer only when it verifies. Broken versions are uploaded blob by blob, as a damaged copy would arrive:
/// publishing a folder checks it locally first and would refuse them.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class ModelPromotionTests : IDisposable
{
    private static readonly string DefaultModel = Path.Combine(AppContext.BaseDirectory, "models", "default");
    private readonly AzuriteFixture _azurite;
    private readonly string _containerName = "models-" + Guid.NewGuid().ToString("N")[..12];
    private readonly BlobContainerClient _container;
    private readonly ModelStore _store;
    private readonly string _scratch = Directory.CreateTempSubdirectory("captioner-promotion-").FullName;

    public ModelPromotionTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _container = azurite.CreateClients(new StorageNames { ModelsContainer = _containerName }).Container(_containerName);
        _store = new ModelStore(_container);
    }

    [Fact]
    public async Task An_intact_version_is_made_current()
    {
        await UploadVersionAsync("intact", _ => { });

        await _store.PromoteAsync("intact");

        Assert.Equal("intact", (await _store.GetCurrentAsync())?.Version);
    }

    [Fact]
    public async Task A_version_with_a_changed_graph_is_refused_by_its_hash_and_the_pointer_stays()
    {
        await UploadVersionAsync("changed", folder =>
        {
            var path = Path.Combine(folder, DecoderGraphs.StepFile);
            var bytes = File.ReadAllBytes(path);
            bytes[^3] ^= 0x33;
            File.WriteAllBytes(path, bytes);
        });

        var error = await RefusedAsync("changed");

        Assert.Contains($"{DecoderGraphs.StepFile} has SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_of_an_unknown_decoder_kind_is_refused_and_the_pointer_stays()
    {
        await UploadVersionAsync("unknown-kind", folder => EditManifest(folder, manifest => manifest["decoder"]!["kind"] = "transformer"));

        var error = await RefusedAsync("unknown-kind");

        Assert.Contains("decoder kind 'transformer' is not known", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_whose_graphs_do_not_have_the_manifests_shapes_is_refused_and_the_pointer_stays()
    {
        // The graphs' LSTM state is 512 wide; the manifest says 256.
        await UploadVersionAsync("wrong-shape", folder => EditManifest(folder, manifest => manifest["decoder"]!["hiddenSize"] = 256));

        var error = await RefusedAsync("wrong-shape");

        Assert.Contains("expected [N, 256]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_whose_graph_keeps_a_tensor_in_external_data_is_refused_and_the_pointer_stays()
    {
        string? tensor = null;
        await UploadVersionAsync("external-data", folder =>
        {
            // One initializer moved out of the graph to a file of the machine, hashes recomputed: only the external data is wrong.
            var path = Path.Combine(folder, DecoderGraphs.InitFile);
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            var initializer = model.Graph.Initializer.First(t => !t.RawData.IsEmpty);
            tensor = initializer.Name;
            initializer.RawData = ByteString.Empty;
            initializer.DataLocation = TensorProto.Types.DataLocation.External;
            initializer.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "/etc/hostname" });
            File.WriteAllBytes(path, model.ToByteArray());
            ModelFiles.WriteManifest(folder, ModelFiles.Deserialize(File.ReadAllBytes(Path.Combine(folder, ModelFiles.Manifest))));
        });

        var error = await RefusedAsync("external-data");

        Assert.Contains($"{DecoderGraphs.InitFile} keeps tensor '{tensor}' in external data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_over_the_size_cap_is_refused_before_it_is_downloaded_and_the_pointer_stays()
    {
        await UploadVersionAsync("intact", _ => { });
        await _store.PromoteAsync("intact");
        await UploadVersionAsync("large", _ => { });
        var stepBytes = new FileInfo(Path.Combine(DefaultModel, DecoderGraphs.StepFile)).Length;
        var requests = new ConcurrentQueue<(string Method, string Path)>();
        var capped = new ModelStore(RecordingContainer(requests), new ModelStoreOptions { MaxFileBytes = stepBytes - 1 });

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => capped.PromoteAsync("large"));

        Assert.Contains($"{DecoderGraphs.StepFile} is {stepBytes:N0} bytes, over the {stepBytes - 1:N0}-byte cap", error.Message, StringComparison.Ordinal);
        var step = $"{_containerName}/large/{DecoderGraphs.StepFile}";
        Assert.Contains(requests, request => request is { Method: "HEAD" } && request.Path.EndsWith(step, StringComparison.Ordinal));
        Assert.DoesNotContain(requests, request => request is { Method: "GET" } && request.Path.EndsWith(step, StringComparison.Ordinal));
        Assert.Equal("intact", (await _store.GetCurrentAsync())?.Version);
    }

    [Fact]
    public async Task Publishing_a_folder_with_a_file_over_the_size_cap_uploads_nothing()
    {
        var folder = CopyOfDefault("too-large");
        var capped = new ModelStore(_container, new ModelStoreOptions { MaxFileBytes = 1024 * 1024 });

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => capped.PublishAsync(folder, makeCurrent: true));

        Assert.Contains("over the 1,048,576-byte cap", error.Message, StringComparison.Ordinal);
        Assert.False((await _container.GetBlobClient($"too-large/{ModelFiles.Vocabulary}").ExistsAsync()).Value);
        Assert.Null(await _store.GetCurrentAsync());
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    /// <summary>Promotes <paramref name="version"/> over an intact current version and returns the refusal; the pointer must not have moved.</summary>
    private async Task<ModelLoadException> RefusedAsync(string version)
    {
        await UploadVersionAsync("intact", _ => { });
        await _store.PromoteAsync("intact");

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => _store.PromoteAsync(version));

        Assert.Equal("intact", (await _store.GetCurrentAsync())?.Version);
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }

    /// <summary>The default model as <paramref name="version"/>, changed by <paramref name="damage"/>, uploaded file by file.</summary>
    private async Task UploadVersionAsync(string version, Action<string> damage)
    {
        var folder = CopyOfDefault(version);
        damage(folder);
        foreach (var name in ModelFiles.All.Append(ModelFiles.Manifest).Where(name => File.Exists(Path.Combine(folder, name))))
        {
            await _container.GetBlobClient($"{version}/{name}").UploadAsync(Path.Combine(folder, name), overwrite: true);
        }
    }

    private string CopyOfDefault(string version)
    {
        var folder = Path.Combine(_scratch, version + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(DefaultModel))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        EditManifest(folder, manifest => manifest["version"] = version);
        return folder;
    }

    private static void EditManifest(string folder, Action<JsonNode> edit)
    {
        var path = Path.Combine(folder, ModelFiles.Manifest);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }

    private BlobContainerClient RecordingContainer(ConcurrentQueue<(string Method, string Path)> requests)
    {
        var options = StorageClients.BlobOptions();
        options.AddPolicy(new RequestRecorder(requests), HttpPipelinePosition.PerCall);
        return new BlobContainerClient(_azurite.ConnectionString, _containerName, options);
    }

    private sealed class RequestRecorder(ConcurrentQueue<(string Method, string Path)> requests) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) =>
            requests.Enqueue((message.Request.Method.Method, Uri.UnescapeDataString(message.Request.Uri.Path)));
    }
}
