using Captioner.Core.Decoding;
using Captioner.Training.Model;
using Onnx;
using static Captioner.Training.Export.OnnxParts;

namespace Captioner.Training.Export;

/// <summary>
/// Writes the trained decoder as two ONNX graphs built node by node (no torch.onnx): an init graph
/// (features -> LSTM state) and a step graph (token, state -> log-probabilities, state), opset 17.
/// </summary>
internal static class DecoderOnnxExporter
{
    /// <summary>Writes the init and step graphs into <paramref name="directory"/>.</summary>
    public static void Export(DecoderWeights weights, string directory) => WriteDecoderGraphs(directory, BuildInitGraph(weights), BuildStepGraph(weights));

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

        var (gateWeight, gateBias) = LstmGateWeights(w.InputWeight, w.HiddenWeight, w.InputBias, w.HiddenBias, e, h);
        graph.Initializer.Add(FloatTensor("embedding", w.Embedding, w.VocabularySize, e));
        graph.Initializer.Add(FloatTensor("gate_weight", gateWeight, 4 * h, e + h));
        graph.Initializer.Add(FloatTensor("gate_bias", gateBias, 4 * h));
        graph.Initializer.Add(FloatTensor("output_weight", w.OutputWeight, w.VocabularySize, h));
        graph.Initializer.Add(FloatTensor("output_bias", w.OutputBias, w.VocabularySize));

        graph.Node.Add(Node("Gather", ["embedding", DecoderGraphs.Token], ["x"], Int("axis", 0)));
        graph.Node.Add(Node("Concat", ["x", DecoderGraphs.HiddenIn], ["xh"], Int("axis", 1)));
        AddLstmCellAndOutput(graph, "xh");

        graph.Output.Add(FloatValue(DecoderGraphs.LogProbabilities, w.VocabularySize));
        graph.Output.Add(FloatValue(DecoderGraphs.HiddenOut, h));
        graph.Output.Add(FloatValue(DecoderGraphs.CellOut, h));
        return Wrap(graph);
    }

}
