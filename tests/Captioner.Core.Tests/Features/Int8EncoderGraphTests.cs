using Captioner.Core.Features;
using Captioner.Core.Features.Quantization;
using Captioner.Core.Imaging;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Captioner.Core.Tests.Features;

public class Int8EncoderGraphTests
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "encoder");

    private static ModelProto Built(EncoderPrecision precision) =>
        ModelProto.Parser.ParseFrom(EncoderGraphs.Network(Directory, precision, Path.Combine(Directory, EncoderCalibration.FileName)));

    [Fact]
    public void Every_convolution_becomes_a_QLinearConv_with_per_channel_int8_weights()
    {
        var model = Built(EncoderPrecision.Int8);
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);
        var convolutions = model.Graph.Node.Where(n => n.OpType == "QLinearConv").ToList();

        Assert.Equal(22, convolutions.Count);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType is "Conv" or "BatchNormalization");
        foreach (var conv in convolutions)
        {
            var weight = initializers[conv.Input[3]];
            Assert.Equal((int)TensorProto.Types.DataType.Int8, weight.DataType);
            Assert.Equal(weight.Dims.Aggregate(1L, (a, d) => a * d), weight.RawData.Length);
            Assert.Equal(weight.Dims[0], initializers[conv.Input[4]].Dims.Single()); // a scale per output channel
            Assert.Equal((int)TensorProto.Types.DataType.Uint8, initializers[conv.Input[2]].DataType); // uint8 activations
            Assert.Equal((int)TensorProto.Types.DataType.Int32, initializers[conv.Input[8]].DataType);
        }

        Assert.DoesNotContain(model.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count == 4);
    }

    [Fact]
    public void Residual_adds_run_on_uint8_except_the_last_which_makes_the_float_region_map()
    {
        var model = Built(EncoderPrecision.Int8);
        var nodes = model.Graph.Node;

        Assert.Equal(8, nodes.Count(n => n.OpType == "QLinearAdd" && n.Domain == "com.microsoft"));
        var lastAdd = Assert.Single(nodes, n => n.OpType == "Add");
        var lastRelu = Assert.Single(nodes, n => n.OpType == "Relu");
        Assert.Equal(lastAdd.Output[0], lastRelu.Input[0]);
        Assert.Equal(RegionMapOutput.ConvolutionMap, lastRelu.Output[0]);
        Assert.Equal(["Pooling395_Output_0", RegionMapOutput.Name], model.Graph.Output.Select(o => o.Name));
        Assert.All(model.Graph.Output, o => Assert.Equal((int)TensorProto.Types.DataType.Float, o.Type.TensorType.ElemType));
        Assert.Contains(model.OpsetImport, o => o.Domain.Length == 0 && o.Version == 13);
    }

    [Fact]
    public void The_fp32_graph_is_the_packaged_graph_untouched_but_for_batch_and_region_map()
    {
        var model = Built(EncoderPrecision.Fp32);

        Assert.Equal(22, model.Graph.Node.Count(n => n.OpType == "Conv"));
        Assert.Equal(22, model.Graph.Node.Count(n => n.OpType == "BatchNormalization"));
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType.StartsWith("QLinear", StringComparison.Ordinal));
        Assert.Contains(model.OpsetImport, o => o.Domain.Length == 0 && o.Version == 8);
    }

    [Fact]
    public void Quantised_weights_come_back_within_half_a_step_of_the_folded_float_weights()
    {
        var folded = EncoderGraphs.WithDynamicBatch(EncoderGraphs.ReadFile(Path.Combine(Directory, EncoderGraphs.ModelFile)));
        BatchNormFolding.Fold(folded.Graph);
        var conv = folded.Graph.Node.First(n => n.OpType == "Conv");
        var weights = OnnxTensors.ReadFloats(folded.Graph.Initializer.Single(t => t.Name == conv.Input[1]));
        var channels = 64;

        var (values, scales) = QuantizationMath.QuantizeWeights(weights, channels);

        var perChannel = weights.Length / channels;
        for (var i = 0; i < weights.Length; i++)
        {
            var scale = scales[i / perChannel];
            Assert.InRange(weights[i] - (values[i] * scale), -scale / 2 * 1.0001, scale / 2 * 1.0001);
        }

        // Symmetric per channel: each channel's largest weight lands on +-127.
        Assert.All(Enumerable.Range(0, channels), c => Assert.Equal(127, values.AsSpan(c * perChannel, perChannel).ToArray().Max(v => Math.Abs((int)v))));
    }

    [Fact]
    public void Folding_batch_norm_into_the_convolutions_leaves_the_float_features_unchanged()
    {
        var bytes = EncoderGraphs.ReadFile(Path.Combine(Directory, EncoderGraphs.ModelFile));
        var folded = EncoderGraphs.WithDynamicBatch(bytes);
        BatchNormFolding.Fold(folded.Graph);
        var random = new Random(7);
        var pixels = Enumerable.Range(0, 2 * EncoderInput.FloatsPerImage).Select(_ => (float)((random.NextDouble() * 255) - 120)).ToArray();

        var original = Pooled(EncoderGraphs.Serialize(EncoderGraphs.WithDynamicBatch(bytes)), pixels);
        var afterFolding = Pooled(EncoderGraphs.Serialize(folded), pixels);

        Assert.DoesNotContain(folded.Graph.Node, n => n.OpType == "BatchNormalization");
        Assert.All(original.Zip(afterFolding), p => Assert.Equal(p.First, p.Second, 1e-3f * Math.Max(1f, Math.Abs(p.First))));
    }

    private static float[] Pooled(byte[] graph, float[] pixels)
    {
        // No optimisations: at any level ONNX Runtime would fold the original's BatchNormalization itself.
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(graph, options);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [2, 3, EncoderInput.Side, EncoderInput.Side]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputNames[0]], [input], [session.OutputNames[0]]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
