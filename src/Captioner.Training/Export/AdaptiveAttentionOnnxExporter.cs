using Captioner.Core.Decoding;
using Captioner.Training.Model;
using Onnx;
using static Captioner.Training.Export.OnnxParts;

namespace Captioner.Training.Export;

/// <summary>
/// Writes the adaptive-attention decoder as two ONNX graphs built node by node, opset 17, with the soft-attention
/// decoder's interface (the same init graph; the step reads token, h, c, map, map_projected and writes logprobs,
/// h', c' and the region weights). The map's standardisation is folded into the global-feature layer; the
/// weighted map is standardised after the sum with the regions' share of the weights, (sum_i a_i m_i - (1 - b) mu) * s,
/// which is what the module computes region by region. The shared score layer's bias is left out (softmax ignores a shift).
/// </summary>
internal static class AdaptiveAttentionOnnxExporter
{
    /// <summary>Writes the init and step graphs into <paramref name="directory"/>.</summary>
    public static void Export(AdaptiveAttentionWeights weights, string directory) =>
        WriteDecoderGraphs(directory, AttentionOnnxExporter.BuildInitGraph(weights.Init), BuildStepGraph(weights));

    /// <summary>token, h, c, map, map_projected -> logprobs, h', c', attention [N, 49] (summing to one minus the sentinel's weight).</summary>
    internal static ModelProto BuildStepGraph(AdaptiveAttentionWeights w)
    {
        int e = w.EmbeddingSize, f = w.Init.FeatureSize, h = w.Init.HiddenSize, a = w.Init.AttentionSize;
        var regions = Core.Features.EncoderIdentity.Regions;
        var graph = new GraphProto { Name = "captioner_adaptive_attention_step" };
        graph.Input.Add(Int64Value(DecoderGraphs.Token));
        graph.Input.Add(FloatValue(DecoderGraphs.HiddenIn, h));
        graph.Input.Add(FloatValue(DecoderGraphs.CellIn, h));
        graph.Input.Add(FloatValue(DecoderGraphs.Map, regions, f));
        graph.Input.Add(FloatValue(DecoderGraphs.ProjectedMap, regions, a));

        var (globalWeight, globalBias) = FoldStandardisation(w.GlobalFeatureWeight, w.GlobalFeatureBias, e, w.Init.FeatureMean, w.Init.FeatureScale);
        var (gateWeight, gateBias) = LstmGateWeights(w.InputWeight, w.HiddenWeight, w.InputBias, w.HiddenBias, 2 * e, h);
        graph.Initializer.Add(FloatTensor("global_weight", globalWeight, e, f));
        graph.Initializer.Add(FloatTensor("global_bias", globalBias, e));
        graph.Initializer.Add(FloatTensor("embedding", w.Embedding, w.VocabularySize, e));
        graph.Initializer.Add(FloatTensor("gate_weight", gateWeight, 4 * h, (2 * e) + h));
        graph.Initializer.Add(FloatTensor("gate_bias", gateBias, 4 * h));
        graph.Initializer.Add(FloatTensor("sentinel_gate_weight", w.SentinelGateWeight, h, (2 * e) + h));
        graph.Initializer.Add(FloatTensor("sentinel_gate_bias", w.SentinelGateBias, h));
        graph.Initializer.Add(FloatTensor("hidden_projection_weight", w.HiddenProjectionWeight, a, h));
        graph.Initializer.Add(FloatTensor("hidden_projection_bias", w.HiddenProjectionBias, a));
        graph.Initializer.Add(FloatTensor("sentinel_projection_weight", w.SentinelProjectionWeight, a, h));
        graph.Initializer.Add(FloatTensor("score_weight", w.ScoreWeight, a, 1));
        graph.Initializer.Add(FloatTensor("feature_mean", w.Init.FeatureMean, f));
        graph.Initializer.Add(FloatTensor("feature_scale", w.Init.FeatureScale, f));
        graph.Initializer.Add(FloatTensor("region_value_weight", w.RegionValueWeight, h, f));
        graph.Initializer.Add(FloatTensor("output_weight", w.OutputWeight, w.VocabularySize, h));
        graph.Initializer.Add(FloatTensor("output_bias", w.OutputBias, w.VocabularySize));
        graph.Initializer.Add(FloatTensor("one", [1f], 1));
        graph.Initializer.Add(Int64Tensor("axis_1", [1]));
        graph.Initializer.Add(Int64Tensor("axis_2", [2]));
        graph.Initializer.Add(Int64Tensor("weight_split", [regions, 1]));

        // The LSTM reads [word, v_g] with v_g = ReLU(W_g mean(map)); the sentinel gate reads the same [x, h].
        graph.Node.Add(Node("ReduceMean", [DecoderGraphs.Map], ["pooled"], Ints("axes", 1), Int("keepdims", 0)));
        graph.Node.Add(Gemm("pooled", "global_weight", "global_bias", "global_raw"));
        graph.Node.Add(Node("Relu", ["global_raw"], ["global"]));
        graph.Node.Add(Node("Gather", ["embedding", DecoderGraphs.Token], ["word"], Int("axis", 0)));
        graph.Node.Add(Node("Concat", ["word", "global", DecoderGraphs.HiddenIn], ["xh"], Int("axis", 1)));
        AddLstmCell(graph, "xh");
        graph.Node.Add(Gemm("xh", "sentinel_gate_weight", "sentinel_gate_bias", "sentinel_gate_logit"));
        graph.Node.Add(Node("Sigmoid", ["sentinel_gate_logit"], ["sentinel_gate"]));
        graph.Node.Add(Node("Tanh", [DecoderGraphs.CellOut], ["memory_tanh"]));
        graph.Node.Add(Node("Mul", ["sentinel_gate", "memory_tanh"], ["sentinel"]));

        // Scores of the 49 regions and of the sentinel, against the new hidden state, one softmax over all 50.
        graph.Node.Add(Gemm(DecoderGraphs.HiddenOut, "hidden_projection_weight", "hidden_projection_bias", "hidden_projected"));
        graph.Node.Add(Node("Unsqueeze", ["hidden_projected", "axis_1"], ["hidden_projected_3d"]));
        graph.Node.Add(Node("Add", [DecoderGraphs.ProjectedMap, "hidden_projected_3d"], ["joint"]));
        graph.Node.Add(Node("Tanh", ["joint"], ["joint_tanh"]));
        graph.Node.Add(Node("MatMul", ["joint_tanh", "score_weight"], ["region_scores_3d"]));
        graph.Node.Add(Node("Squeeze", ["region_scores_3d", "axis_2"], ["region_scores"]));
        graph.Node.Add(Linear("sentinel", "sentinel_projection_weight", "sentinel_projected"));
        graph.Node.Add(Node("Add", ["sentinel_projected", "hidden_projected"], ["sentinel_joint"]));
        graph.Node.Add(Node("Tanh", ["sentinel_joint"], ["sentinel_joint_tanh"]));
        graph.Node.Add(Node("MatMul", ["sentinel_joint_tanh", "score_weight"], ["sentinel_score"]));
        graph.Node.Add(Node("Concat", ["region_scores", "sentinel_score"], ["scores"], Int("axis", 1)));
        graph.Node.Add(Node("Softmax", ["scores"], ["weights"], Int("axis", 1)));
        graph.Node.Add(Node("Split", ["weights", "weight_split"], [DecoderGraphs.Attention, "sentinel_weight"], Int("axis", 1)));

        // c_hat = W_a ((sum_i a_i m_i - (1 - b) mu) * s) + b * sentinel; the words come from c_hat + h'.
        graph.Node.Add(Node("Unsqueeze", [DecoderGraphs.Attention, "axis_1"], ["attention_3d"]));
        graph.Node.Add(Node("MatMul", ["attention_3d", DecoderGraphs.Map], ["weighted_3d"]));
        graph.Node.Add(Node("Squeeze", ["weighted_3d", "axis_1"], ["weighted"]));
        graph.Node.Add(Node("Sub", ["one", "sentinel_weight"], ["region_share"]));
        graph.Node.Add(Node("Mul", ["region_share", "feature_mean"], ["weighted_mean"]));
        graph.Node.Add(Node("Sub", ["weighted", "weighted_mean"], ["weighted_centred"]));
        graph.Node.Add(Node("Mul", ["weighted_centred", "feature_scale"], ["weighted_standardised"]));
        graph.Node.Add(Linear("weighted_standardised", "region_value_weight", "region_context"));
        graph.Node.Add(Node("Mul", ["sentinel_weight", "sentinel"], ["sentinel_context"]));
        graph.Node.Add(Node("Add", ["region_context", "sentinel_context"], ["context"]));
        graph.Node.Add(Node("Add", ["context", DecoderGraphs.HiddenOut], ["readout"]));
        AddOutputLayer(graph, "readout");

        graph.Output.Add(FloatValue(DecoderGraphs.LogProbabilities, w.VocabularySize));
        graph.Output.Add(FloatValue(DecoderGraphs.HiddenOut, h));
        graph.Output.Add(FloatValue(DecoderGraphs.CellOut, h));
        graph.Output.Add(FloatValue(DecoderGraphs.Attention, regions));
        return Wrap(graph);
    }
}
