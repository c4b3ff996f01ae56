using Captioner.Core.Decoding;
using Captioner.Training.Model;
using Google.Protobuf;
using Onnx;
using static Captioner.Training.Export.OnnxParts;

namespace Captioner.Training.Export;

/// <summary>
/// Writes the trained decoder as two ONNX graphs built node by node (no torch.onnx): an init graph
/// (features -> LSTM state) and a step graph (token, state -> log-probabilities, state), opset 17.
/// </summary>
internal static class DecoderOnnxExporter
{
    private const long IrVersion = 8;
    private const long Opset = 17;

    /// <summary>Writes <see cref="DecoderGraphs.InitFile"/> and <see cref="DecoderGraphs.StepFile"/> into <paramref name="directory"/>.</summary>
    public static void Export(DecoderWeights weights, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, DecoderGraphs.InitFile), BuildInitGraph(weights).ToByteArray());
        File.WriteAllBytes(Path.Combine(directory, DecoderGraphs.StepFile), BuildStepGraph(weights).ToByteArray());
    }

    internal static ModelProto BuildInitGraph(DecoderWeights w)
    {
        var graph = new GraphProto { Name = "captioner_decoder_init" };
        graph.Input.Add(FloatValue(DecoderGraphs.Features, w.FeatureSize));
        graph.Initializer.Add(FloatTensor("init_h_weight", w.InitHiddenWeight, w.HiddenSize, w.FeatureSize));
        graph.Initializer.Add(FloatTensor("init_h_bias", w.InitHiddenBias, w.HiddenSize));
        graph.Initializer.Add(FloatTensor("init_c_weight", w.InitCellWeight, w.HiddenSize, w.FeatureSize));
        graph.Initializer.Add(FloatTensor("init_c_bias", w.InitCellBias, w.HiddenSize));
        graph.Node.Add(Gemm(DecoderGraphs.Features, "init_h_weight", "init_h_bias", DecoderGraphs.HiddenIn));
        graph.Node.Add(Gemm(DecoderGraphs.Features, "init_c_weight", "init_c_bias", DecoderGraphs.CellIn));
        graph.Output.Add(FloatValue(DecoderGraphs.HiddenIn, w.HiddenSize));
        graph.Output.Add(FloatValue(DecoderGraphs.CellIn, w.HiddenSize));
        return Wrap(graph);
    }

    internal static ModelProto BuildStepGraph(DecoderWeights w)
    {
        int e = w.EmbeddingSize, h = w.HiddenSize;
        var graph = new GraphProto { Name = "captioner_decoder_step" };
        graph.Input.Add(Int64Value(DecoderGraphs.Token));
        graph.Input.Add(FloatValue(DecoderGraphs.HiddenIn, h));
        graph.Input.Add(FloatValue(DecoderGraphs.CellIn, h));

        // One Gemm over [x, h] with the input and recurrent weights side by side: W = [W_ih | W_hh], b = b_ih + b_hh.
        var gateWeight = new float[4 * h * (e + h)];
        var gateBias = new float[4 * h];
        for (var row = 0; row < 4 * h; row++)
        {
            Array.Copy(w.InputWeight, row * e, gateWeight, row * (e + h), e);
            Array.Copy(w.HiddenWeight, row * h, gateWeight, (row * (e + h)) + e, h);
            gateBias[row] = w.InputBias[row] + w.HiddenBias[row];
        }

        graph.Initializer.Add(FloatTensor("embedding", w.Embedding, w.VocabularySize, e));
        graph.Initializer.Add(FloatTensor("gate_weight", gateWeight, 4 * h, e + h));
        graph.Initializer.Add(FloatTensor("gate_bias", gateBias, 4 * h));
        graph.Initializer.Add(FloatTensor("output_weight", w.OutputWeight, w.VocabularySize, h));
        graph.Initializer.Add(FloatTensor("output_bias", w.OutputBias, w.VocabularySize));

        graph.Node.Add(Node("Gather", ["embedding", DecoderGraphs.Token], ["x"], Int("axis", 0)));
        graph.Node.Add(Node("Concat", ["x", DecoderGraphs.HiddenIn], ["xh"], Int("axis", 1)));
        graph.Node.Add(Gemm("xh", "gate_weight", "gate_bias", "gates"));
        graph.Node.Add(Node("Split", ["gates"], ["gate_i", "gate_f", "gate_g", "gate_o"], Int("axis", 1)));
        graph.Node.Add(Node("Sigmoid", ["gate_i"], ["i"]));
        graph.Node.Add(Node("Sigmoid", ["gate_f"], ["f"]));
        graph.Node.Add(Node("Tanh", ["gate_g"], ["g"]));
        graph.Node.Add(Node("Sigmoid", ["gate_o"], ["o"]));
        graph.Node.Add(Node("Mul", ["f", DecoderGraphs.CellIn], ["kept"]));
        graph.Node.Add(Node("Mul", ["i", "g"], ["written"]));
        graph.Node.Add(Node("Add", ["kept", "written"], [DecoderGraphs.CellOut]));
        graph.Node.Add(Node("Tanh", [DecoderGraphs.CellOut], ["cell_tanh"]));
        graph.Node.Add(Node("Mul", ["o", "cell_tanh"], [DecoderGraphs.HiddenOut]));
        graph.Node.Add(Gemm(DecoderGraphs.HiddenOut, "output_weight", "output_bias", "logits"));
        graph.Node.Add(Node("LogSoftmax", ["logits"], [DecoderGraphs.LogProbabilities], Int("axis", 1)));

        graph.Output.Add(FloatValue(DecoderGraphs.LogProbabilities, w.VocabularySize));
        graph.Output.Add(FloatValue(DecoderGraphs.HiddenOut, h));
        graph.Output.Add(FloatValue(DecoderGraphs.CellOut, h));
        return Wrap(graph);
    }

    private static ModelProto Wrap(GraphProto graph)
    {
        var model = new ModelProto { IrVersion = IrVersion, ProducerName = "Captioner", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return model;
    }

    private static NodeProto Gemm(string input, string weight, string bias, string output) =>
        Node("Gemm", [input, weight, bias], [output], Int("transB", 1));
}
