using System.Text.Json.Nodes;
using Captioner.Core.Decoding;
using Captioner.Core.Models;

namespace Captioner.Training.Tests;

/// <summary>Loading a model folder checks hashes, format, encoder and shapes, and says what is wrong.</summary>
[Collection(TinyModelGroup.Name)]
public sealed class ModelFolderTests : IDisposable
{
    private readonly string _copy;

    public ModelFolderTests(TinyModelFixture fixture)
    {
        _copy = Directory.CreateTempSubdirectory("captioner-model-copy-").FullName;
        foreach (var file in Directory.GetFiles(fixture.ModelDirectory))
        {
            File.Copy(file, Path.Combine(_copy, Path.GetFileName(file)));
        }
    }

    [Fact]
    public void An_intact_folder_loads_with_its_version()
    {
        using var model = CaptioningModel.LoadFolder(_copy);

        Assert.Equal("tiny-1", model.Version);
    }

    [Fact]
    public void A_changed_graph_is_refused_by_its_hash()
    {
        var path = Path.Combine(_copy, DecoderGraphs.StepFile);
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x5A;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ModelLoadException>(() => CaptioningModel.LoadFolder(_copy));

        Assert.Contains("SHA-256", error.Message);
        Assert.Contains(DecoderGraphs.StepFile, error.Message);
    }

    [Fact]
    public void A_missing_vocabulary_is_refused()
    {
        File.Delete(Path.Combine(_copy, ModelFiles.Vocabulary));

        var error = Assert.Throws<ModelLoadException>(() => CaptioningModel.LoadFolder(_copy));

        Assert.Contains("vocab.json is missing", error.Message);
    }

    [Fact]
    public void An_unknown_format_version_is_refused()
    {
        EditManifest(m => m["formatVersion"] = 99);

        Assert.Contains("format version 99", Assert.Throws<ModelLoadException>(() => CaptioningModel.LoadFolder(_copy)).Message);
    }

    [Fact]
    public void A_model_for_another_encoder_is_refused()
    {
        EditManifest(m => m["encoder"]!["name"] = "clip-vit");

        Assert.Contains("clip-vit", Assert.Throws<ModelLoadException>(() => CaptioningModel.LoadFolder(_copy)).Message);
    }

    [Fact]
    public void Graph_shapes_that_disagree_with_the_manifest_are_refused()
    {
        EditManifest(m => m["decoder"]!["hiddenSize"] = 64);

        var error = Assert.Throws<ModelLoadException>(() => CaptioningModel.LoadFolder(_copy));

        Assert.Contains("expected [N, 64]", error.Message);
    }

    [Fact]
    public void A_vocabulary_size_that_disagrees_with_the_manifest_is_refused()
    {
        EditManifest(m => m["decoder"]!["vocabularySize"] = 7);

        Assert.Contains("vocab.json has", Assert.Throws<ModelLoadException>(() => CaptioningModel.LoadFolder(_copy)).Message);
    }

    [Fact]
    public void A_missing_folder_is_refused_by_name()
    {
        Assert.Contains("does not exist", Assert.Throws<ModelLoadException>(() => CaptioningModel.LoadFolder(Path.Combine(_copy, "nope"))).Message);
    }

    public void Dispose() => Directory.Delete(_copy, recursive: true);

    private void EditManifest(Action<JsonNode> edit)
    {
        var path = Path.Combine(_copy, ModelFiles.Manifest);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }
}
