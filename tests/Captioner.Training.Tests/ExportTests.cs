using Captioner.Training.Export;
using Captioner.Training.Model;
using Onnx;
using static TorchSharp.torch;
using Captioner.Core.Training;

namespace Captioner.Training.Tests;

public sealed class ExportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("captioner-export-").FullName;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Onnx_runtime_and_torchsharp_agree_to_1e_4_on_random_weights_and_features(int batch)
    {
        manual_seed(11);
        using var module = new ShowAndTellModule(512, 50, 16, 32, 0.5);
        using (var features = rand(200, 512) * 3)
        {
            module.SetFeatureStatistics(features.mean([0]), features.std([0]));
        }

        DecoderOnnxExporter.Export(module.ExportWeights(), _directory);
        var random = new Random(5);
        var inputs = Enumerable.Range(0, batch * 512).Select(_ => (float)(random.NextDouble() * 4)).ToArray();

        var difference = ExportParityCheck.MaxDifference(module, _directory, inputs, batch, steps: 6);

        Assert.InRange(difference, 0, 1e-4);
    }

    [Fact]
    public void Exported_graphs_declare_a_symbolic_batch_and_opset_17()
    {
        using var module = new ShowAndTellModule(512, 50, 16, 32, 0.5);
        DecoderOnnxExporter.Export(module.ExportWeights(), _directory);

        var step = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(_directory, "decoder_step.onnx")));

        Assert.Equal(17, step.OpsetImport.Single().Version);
        Assert.All(step.Graph.Input, input => Assert.Equal("N", input.Type.TensorType.Shape.Dim[0].DimParam));
        Assert.Equal(["logprobs", "h_out", "c_out"], step.Graph.Output.Select(o => o.Name));
    }

    [Fact]
    public void Learning_rate_is_constant_until_the_decay_epoch_then_decays_each_epoch()
    {
        var options = new TrainingOptions { LearningRate = 1.0, LearningRateDecay = 0.5, DecayFromEpoch = 3 };

        Assert.Equal([1.0, 1.0, 0.5, 0.25], Enumerable.Range(1, 4).Select(options.LearningRateAt));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
