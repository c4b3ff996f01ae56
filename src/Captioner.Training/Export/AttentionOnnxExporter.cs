using Captioner.Core.Decoding;
using Captioner.Training.Model;
using Onnx;
using static Captioner.Training.Export.OnnxParts;

namespace Captioner.Training.Export;

/// <summary>
/// Writes the soft-attention decoder as two ONNX graphs built node by node, opset 17. The map's per-channel
/// standardisation (x - m) * s is folded into every layer that reads it (<see cref="OnnxParts.FoldStandardisation"/>);
/// the context is standardised after the weighted sum, which is exact because the attention weights sum to one. The score layer's bias is left out: softmax ignores a shift.
/// </summary>
internal static class AttentionOnnxExporter
{
    /// <summary>Writes the init and step graphs into <paramref name="directory"/>.</summary>
    public static void Export(AttentionDecoderWeights weights, string directory) => WriteDecoderGraphs(directory, BuildInitGraph(weights.Init), BuildStepGraph(weights));

    /// <summary>map [N, 49, F] -> h, c [N, H] (from the regions' mean) and map_projected [N, 49, A]; shared by every attention kind.</summary>
    internal static ModelProto BuildInitGraph(AttentionInitWeights w)
    {
        int f = w.FeatureSize, h = w.HiddenSize, a = w.AttentionSize;
        var graph = new GraphProto { Name = "captioner_attention_init" };
        graph.Input.Add(FloatValue(DecoderGraphs.Map, Core.Features.EncoderIdentity.Regions, f));
        var (hiddenWeight, hiddenBias) = FoldStandardisation(w.InitHiddenWeight, w.InitHiddenBias, h, w.FeatureMean, w.FeatureScale);
        var (cellWeight, cellBias) = FoldStandardisation(w.InitCellWeight, w.InitCellBias, h, w.FeatureMean, w.FeatureScale);
        var (projectionWeight, projectionBias) = FoldStandardisation(w.MapProjectionWeight, w.MapProjectionBias, a, w.FeatureMean, w.FeatureScale);
        graph.Initializer.Add(FloatTensor("init_h_weight", hiddenWeight, h, f));
        graph.Initializer.Add(FloatTensor("init_h_bias", hiddenBias, h));
        graph.Initializer.Add(FloatTensor("init_c_weight", cellWeight, h, f));
        graph.Initializer.Add(FloatTensor("init_c_bias", cellBias, h));
        graph.Initializer.Add(FloatTensor("projection_weight", Transpose(projectionWeight, a, f), f, a));
        graph.Initializer.Add(FloatTensor("projection_bias", projectionBias, a));
        graph.Node.Add(Node("ReduceMean", [DecoderGraphs.Map], ["pooled"], Ints("axes", 1), Int("keepdims", 0)));
        graph.Node.Add(Gemm("pooled", "init_h_weight", "init_h_bias", DecoderGraphs.HiddenIn));
        graph.Node.Add(Gemm("pooled", "init_c_weight", "init_c_bias", DecoderGraphs.CellIn));
        graph.Node.Add(Node("MatMul", [DecoderGraphs.Map, "projection_weight"], ["projected_raw"]));
        graph.Node.Add(Node("Add", ["projected_raw", "projection_bias"], [DecoderGraphs.ProjectedMap]));
        graph.Output.Add(FloatValue(DecoderGraphs.HiddenIn, h));
        graph.Output.Add(FloatValue(DecoderGraphs.CellIn, h));
        graph.Output.Add(FloatValue(DecoderGraphs.ProjectedMap, Core.Features.EncoderIdentity.Regions, a));
        return Wrap(graph);
    }

    /// <summary>token, h, c, map, map_projected -> logprobs, h', c', attention [N, 49].</summary>
    internal static ModelProto BuildStepGraph(AttentionDecoderWeights w)
    {
        int e = w.EmbeddingSize, f = w.Init.FeatureSize, h = w.Init.HiddenSize, a = w.Init.AttentionSize;
        var regions = Core.Features.EncoderIdentity.Regions;
        var graph = new GraphProto { Name = "captioner_attention_step" };
        graph.Input.Add(Int64Value(DecoderGraphs.Token));
        graph.Input.Add(FloatValue(DecoderGraphs.HiddenIn, h));
        graph.Input.Add(FloatValue(DecoderGraphs.CellIn, h));
        graph.Input.Add(FloatValue(DecoderGraphs.Map, regions, f));
        graph.Input.Add(FloatValue(DecoderGraphs.ProjectedMap, regions, a));

        var (gateWeight, gateBias) = LstmGateWeights(w.InputWeight, w.HiddenWeight, w.InputBias, w.HiddenBias, e + f, h);
        graph.Initializer.Add(FloatTensor("hidden_projection_weight", w.HiddenProjectionWeight, a, h));
        graph.Initializer.Add(FloatTensor("hidden_projection_bias", w.HiddenProjectionBias, a));
        graph.Initializer.Add(FloatTensor("score_weight", w.ScoreWeight, a, 1));
        graph.Initializer.Add(FloatTensor("feature_mean", w.Init.FeatureMean, f));
        graph.Initializer.Add(FloatTensor("feature_scale", w.Init.FeatureScale, f));
        graph.Initializer.Add(FloatTensor("beta_weight", w.GateWeight, f, h));
        graph.Initializer.Add(FloatTensor("beta_bias", w.GateBias, f));
        graph.Initializer.Add(FloatTensor("embedding", w.Embedding, w.VocabularySize, e));
        graph.Initializer.Add(FloatTensor("gate_weight", gateWeight, 4 * h, e + f + h));
        graph.Initializer.Add(FloatTensor("gate_bias", gateBias, 4 * h));
        graph.Initializer.Add(FloatTensor("output_weight", w.OutputWeight, w.VocabularySize, h));
        graph.Initializer.Add(FloatTensor("output_bias", w.OutputBias, w.VocabularySize));
        graph.Initializer.Add(Int64Tensor("axis_1", [1]));
        graph.Initializer.Add(Int64Tensor("axis_2", [2]));

        // Additive attention: score_i = v . tanh(P m_i + W h); weights = softmax over the 49 regions.
        graph.Node.Add(Gemm(DecoderGraphs.HiddenIn, "hidden_projection_weight", "hidden_projection_bias", "hidden_projected"));
        graph.Node.Add(Node("Unsqueeze", ["hidden_projected", "axis_1"], ["hidden_projected_3d"]));
        graph.Node.Add(Node("Add", [DecoderGraphs.ProjectedMap, "hidden_projected_3d"], ["joint"]));
        graph.Node.Add(Node("Tanh", ["joint"], ["joint_tanh"]));
        graph.Node.Add(Node("MatMul", ["joint_tanh", "score_weight"], ["scores_3d"]));
        graph.Node.Add(Node("Squeeze", ["scores_3d", "axis_2"], ["scores"]));
        graph.Node.Add(Node("Softmax", ["scores"], [DecoderGraphs.Attention], Int("axis", 1)));

        // Context = sum_i weight_i m_i, standardised, gated by beta = sigmoid(W_b h + b_b).
        graph.Node.Add(Node("Unsqueeze", [DecoderGraphs.Attention, "axis_1"], ["attention_3d"]));
        graph.Node.Add(Node("MatMul", ["attention_3d", DecoderGraphs.Map], ["context_3d"]));
        graph.Node.Add(Node("Squeeze", ["context_3d", "axis_1"], ["context_raw"]));
        graph.Node.Add(Node("Sub", ["context_raw", "feature_mean"], ["context_centred"]));
        graph.Node.Add(Node("Mul", ["context_centred", "feature_scale"], ["context_standardised"]));
        graph.Node.Add(Gemm(DecoderGraphs.HiddenIn, "beta_weight", "beta_bias", "beta_logit"));
        graph.Node.Add(Node("Sigmoid", ["beta_logit"], ["beta"]));
        graph.Node.Add(Node("Mul", ["context_standardised", "beta"], ["context"]));

        graph.Node.Add(Node("Gather", ["embedding", DecoderGraphs.Token], ["x"], Int("axis", 0)));
        graph.Node.Add(Node("Concat", ["x", "context", DecoderGraphs.HiddenIn], ["xzh"], Int("axis", 1)));
        AddLstmCellAndOutput(graph, "xzh");

        graph.Output.Add(FloatValue(DecoderGraphs.LogProbabilities, w.VocabularySize));
        graph.Output.Add(FloatValue(DecoderGraphs.HiddenOut, h));
        graph.Output.Add(FloatValue(DecoderGraphs.CellOut, h));
        graph.Output.Add(FloatValue(DecoderGraphs.Attention, regions));
        return Wrap(graph);
    }
}
