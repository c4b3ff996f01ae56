using Captioner.Core.Decoding;
using Captioner.Core.Models;
using Captioner.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Captioner.Integration.Tests;

/// <summary>The model store and hot swap, against Azurite with the bundled default model.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class ModelRegistryTests : IDisposable
{
    private static readonly string DefaultModel = Path.Combine(AppContext.BaseDirectory, "models", "default");
    private readonly ModelStore _store;
    private readonly Azure.Storage.Blobs.BlobContainerClient _container;
    private readonly string _scratch = Directory.CreateTempSubdirectory("captioner-models-").FullName;

    public ModelRegistryTests(AzuriteFixture azurite)
    {
        var names = new StorageNames { ModelsContainer = "models-" + Guid.NewGuid().ToString("N")[..12] };
        var clients = azurite.CreateClients(names);
        _container = clients.Container(names.ModelsContainer);
        _store = new ModelStore(_container);
    }

    [Fact]
    public async Task A_published_model_is_loaded_verified_from_blobs_and_captions()
    {
        await _store.PublishAsync(ModelCopy("v1"), makeCurrent: true);
        using var registry = new ModelRegistry(_store, NullLogger<ModelRegistry>.Instance);

        Assert.True(await registry.RefreshAsync());
        using var lease = registry.Acquire();

        Assert.Equal("v1", registry.CurrentVersion);
        var caption = lease.Model.Decoder.Decode(new float[lease.Model.Decoder.InputWidth], 1, DecodingOptions.Greedy)[0];
        Assert.NotEmpty(caption.Caption);
    }

    [Fact]
    public async Task A_new_pointer_is_swapped_in_while_old_leases_keep_working()
    {
        await _store.PublishAsync(ModelCopy("v1"), makeCurrent: true);
        await _store.PublishAsync(ModelCopy("v2"), makeCurrent: false);
        using var registry = new ModelRegistry(_store, NullLogger<ModelRegistry>.Instance);
        await registry.RefreshAsync();
        using var old = registry.Acquire();

        Assert.False(await registry.RefreshAsync());
        await _store.PromoteAsync("v2");
        Assert.True(await registry.RefreshAsync());

        Assert.Equal("v2", registry.CurrentVersion);
        Assert.NotEmpty(old.Model.Decoder.Decode(new float[old.Model.Decoder.InputWidth], 1, DecodingOptions.Greedy)[0].Caption);
        using var fresh = registry.Acquire();
        Assert.NotSame(old.Model, fresh.Model);
    }

    [Fact]
    public async Task A_damaged_version_is_refused_and_the_previous_one_keeps_serving()
    {
        await _store.PublishAsync(ModelCopy("good"), makeCurrent: true);
        await _store.PublishAsync(ModelCopy("bad"), makeCurrent: false);
        using var registry = new ModelRegistry(_store, NullLogger<ModelRegistry>.Instance);
        await registry.RefreshAsync();

        // A graph changed after publishing, as a broken copy would: its hash no longer matches.
        var step = _container.GetBlobClient($"bad/{DecoderGraphs.StepFile}");
        var bytes = (await step.DownloadContentAsync()).Value.Content.ToArray();
        bytes[^3] ^= 0x33;
        await step.UploadAsync(new BinaryData(bytes), overwrite: true);

        // Promotion would refuse it: the pointer is written by hand, as an older build or an operator could.
        await _container.GetBlobClient(ModelStore.PointerBlob).UploadAsync(BinaryData.FromString($$"""{"version": "bad", "updatedAt": "{{DateTimeOffset.UtcNow:O}}"}"""), overwrite: true);

        Assert.False(await registry.RefreshAsync());
        Assert.Equal("good", registry.CurrentVersion);
        using var lease = registry.Acquire();
        Assert.Equal("good", lease.Model.Version);
    }

    [Fact]
    public async Task Publishing_a_damaged_folder_is_refused()
    {
        var damaged = Path.Combine(_scratch, "broken");
        Directory.CreateDirectory(damaged);
        File.Copy(Path.Combine(DefaultModel, ModelFiles.Manifest), Path.Combine(damaged, ModelFiles.Manifest));

        await Assert.ThrowsAsync<ModelLoadException>(() => _store.PublishAsync(damaged, makeCurrent: true));
        Assert.Null(await _store.GetCurrentAsync());
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    /// <summary>The default model re-labelled as <paramref name="version"/> (the manifest is not hashed, its files are).</summary>
    private string ModelCopy(string version)
    {
        var directory = Path.Combine(_scratch, version);
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(DefaultModel))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        var manifestPath = Path.Combine(directory, ModelFiles.Manifest);
        var manifest = ModelFiles.Deserialize(File.ReadAllBytes(manifestPath));
        File.WriteAllBytes(manifestPath, ModelFiles.Serialize(manifest with { Version = version }));
        return directory;
    }

}
