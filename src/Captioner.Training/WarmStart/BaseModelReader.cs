using Captioner.Core.Decoding;
using Captioner.Core.Models;
using Onnx;
using static Captioner.Training.Export.OnnxParts;

namespace Captioner.Training.WarmStart;

/// <summary>
/// Reads a model folder's decoders back into training weights, so training can start from a served model (which keeps
/// only its ONNX graphs): each weight the exporters folded is unfolded again (the map's standardisation, the transposed
/// projection, the LSTM's joined gate matrix and summed biases), and an ensemble gives one member per decoder it joined.
/// </summary>
internal static class BaseModelReader
{
    /// <summary>The members of the model in <paramref name="directory"/> (one unless it is an ensemble), in the ensemble's order.</summary>
    public static IReadOnlyList<BaseMember> Read(string directory, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var weights = new GraphWeights(Load(directory, DecoderGraphs.StepFile), Load(directory, DecoderGraphs.InitFile));
        var kinds = EnsembleKinds(weights);
        if (kinds.Count == 0)
        {
            return [Member(weights, manifest.Decoder.Kind, prefix: string.Empty, ensemble: null)];
        }

        var attentionSizes = kinds.Select((kind, m) => kind == DecoderKinds.ShowAndTell ? 0 : (int)weights.Get($"m{m}_hidden_projection_weight").Dims[0]).ToArray();
        return [.. kinds.Select((kind, m) => Member(weights, kind, $"m{m}_", (m, attentionSizes)))];
    }

    /// <summary>The decoder kinds an ensemble folder joined, in order; none for a single model.</summary>
    public static IReadOnlyList<string> EnsembleKinds(string directory) =>
        EnsembleKinds(new GraphWeights(Load(directory, DecoderGraphs.StepFile)));

    // The graphs say what they join (the manifest's record of it is only there when the members had a training record):
    // member m's weights carry the prefix m{m}_, and each kind has a weight of its own.
    private static List<string> EnsembleKinds(GraphWeights weights)
    {
        var kinds = new List<string>();
        for (var m = 0; weights.Has($"m{m}_embedding"); m++)
        {
            kinds.Add(weights.Has($"m{m}_sentinel_gate_weight") ? DecoderKinds.AdaptiveAttention : weights.Has($"m{m}_beta_weight") ? DecoderKinds.SoftAttention : DecoderKinds.ShowAndTell);
        }

        return kinds;
    }

    private static GraphProto Load(string directory, string file) =>
        ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, file))).Graph;

    private static BaseMember Member(GraphWeights weights, string kind, string prefix, (int Index, int[] AttentionSizes)? ensemble)
    {
        return kind == DecoderKinds.ShowAndTell ? ShowAndTell(weights, prefix) : Attention(weights, kind, prefix, ensemble);
    }

    /// <summary>
    /// Show-and-tell graphs keep no standardisation (it is folded into the initial state's layers): the module gets the
    /// folded layers and an identity standardisation, which computes the same.
    /// </summary>
    private static BaseMember ShowAndTell(GraphWeights weights, string prefix)
    {
        float[] Get(string name) => weights.Get(prefix + name).Values;
        var (initHidden, initDims) = weights.Get(prefix + "init_h_weight");
        var (embedding, embeddingDims) = weights.Get(prefix + "embedding");
        int h = (int)initDims[0], f = (int)initDims[1], e = (int)embeddingDims[1];
        var (gate, _) = weights.Has(prefix + "gate_weight") ? weights.Get(prefix + "gate_weight") : weights.Dequantised(prefix + "gates_int8_");
        var (inputWeight, hiddenWeight) = SplitColumns(gate, 4 * h, e, h);
        var state = new Dictionary<string, float[]>(StringComparer.Ordinal)
        {
            ["featureMean"] = new float[f],
            ["featureScale"] = [.. Enumerable.Repeat(1f, f)],
            ["initHidden.weight"] = initHidden,
            ["initHidden.bias"] = Get("init_h_bias"),
            ["initCell.weight"] = Get("init_c_weight"),
            ["initCell.bias"] = Get("init_c_bias"),
            ["embedding.weight"] = embedding,
            ["lstm.weight_ih_l0"] = inputWeight,
            ["lstm.weight_hh_l0"] = hiddenWeight,
            ["lstm.bias_ih_l0"] = Get("gate_bias"),
            ["lstm.bias_hh_l0"] = new float[4 * h],
            ["output.weight"] = Get("output_weight"),
            ["output.bias"] = Get("output_bias"),
        };
        return new BaseMember(DecoderKinds.ShowAndTell, e, h, AttentionSize: 0, state);
    }

    private static BaseMember Attention(GraphWeights weights, string kind, string prefix, (int Index, int[] AttentionSizes)? ensemble)
    {
        float[] Get(string name) => weights.Get(prefix + name).Values;
        var (hiddenProjection, projectionDims) = weights.Get(prefix + "hidden_projection_weight");
        var (embedding, embeddingDims) = weights.Get(prefix + "embedding");
        int a = (int)projectionDims[0], h = (int)projectionDims[1], e = (int)embeddingDims[1];
        var mean = Get("feature_mean");
        var scale = Get("feature_scale");
        var f = mean.Length;
        var state = new Dictionary<string, float[]>(StringComparer.Ordinal)
        {
            ["init.featureMean"] = mean,
            ["init.featureScale"] = scale,
            ["hiddenProjection.weight"] = hiddenProjection,
            ["hiddenProjection.bias"] = Get("hidden_projection_bias"),
            ["score.weight"] = ScoreWeight(weights, prefix, a, ensemble),
            ["score.bias"] = [0f], // the exporters leave it out: a softmax ignores a shift
            ["embedding.weight"] = embedding,
            ["output.weight"] = Get("output_weight"),
            ["output.bias"] = Get("output_bias"),
        };
        (state["init.initHidden.weight"], state["init.initHidden.bias"]) = Unfold(Get("init_h_weight"), Get("init_h_bias"), mean, scale);
        (state["init.initCell.weight"], state["init.initCell.bias"]) = Unfold(Get("init_c_weight"), Get("init_c_bias"), mean, scale);
        (state["init.mapProjection.weight"], state["init.mapProjection.bias"]) = Unfold(Transpose(Get("projection_weight"), f, a), Get("projection_bias"), mean, scale);

        var inputs = kind switch
        {
            DecoderKinds.AdaptiveAttention => 2 * e,
            DecoderKinds.SoftAttention => e + f,
            _ => throw new InvalidDataException($"This build cannot start training from a {kind} decoder."),
        };
        var (gate, _) = weights.Has(prefix + "gate_weight") ? weights.Get(prefix + "gate_weight") : weights.Dequantised(prefix + "gates_int8_");
        (state["cell.weight_ih"], state["cell.weight_hh"]) = SplitColumns(gate, 4 * h, inputs, h);
        state["cell.bias_ih"] = Get("gate_bias");
        state["cell.bias_hh"] = new float[4 * h];
        if (kind == DecoderKinds.AdaptiveAttention)
        {
            // An ensemble moves the image-only global feature into the init graph, under the member's step prefix.
            var global = weights.Has(prefix + "global_weight") ? prefix : prefix + "step_";
            (state["globalFeature.weight"], state["globalFeature.bias"]) = Unfold(weights.Get(global + "global_weight").Values, weights.Get(global + "global_bias").Values, mean, scale);
            state["sentinelProjection.weight"] = Get("sentinel_projection_weight");
            state["sentinelGate.weight"] = Get("sentinel_gate_weight");
            state["sentinelGate.bias"] = Get("sentinel_gate_bias");
            state["regionValue.weight"] = Get("region_value_weight");
        }
        else
        {
            state["gate.weight"] = Get("beta_weight");
            state["gate.bias"] = Get("beta_bias");
        }

        return new BaseMember(kind, e, h, a, state);
    }

    /// <summary>The score vector [1, A]: the member's own, or its column of an ensemble's block-diagonal score matrix.</summary>
    private static float[] ScoreWeight(GraphWeights weights, string prefix, int attention, (int Index, int[] AttentionSizes)? ensemble)
    {
        if (weights.Has(prefix + "score_weight") || ensemble is null)
        {
            return weights.Get(prefix + "score_weight").Values;
        }

        var (blocks, dims) = weights.Get("score_blocks");
        var (index, sizes) = ensemble.Value;
        var offset = sizes.Take(index).Sum();
        return [.. Enumerable.Range(offset, attention).Select(row => blocks[(row * dims[1]) + index])];
    }

    /// <summary>Undoes <see cref="FoldStandardisation"/>: W = W' / s per input column, b = b' + W' m.</summary>
    private static (float[] Weight, float[] Bias) Unfold(float[] folded, float[] foldedBias, float[] mean, float[] scale)
    {
        var f = mean.Length;
        var weight = new float[folded.Length];
        var bias = new float[foldedBias.Length];
        for (var row = 0; row < foldedBias.Length; row++)
        {
            double shift = 0;
            for (var col = 0; col < f; col++)
            {
                var value = folded[(row * f) + col];
                weight[(row * f) + col] = value / scale[col];
                shift += value * (double)mean[col];
            }

            bias[row] = (float)(foldedBias[row] + shift);
        }

        return (weight, bias);
    }

    /// <summary>A [rows, left + right] matrix as its [rows, left] and [rows, right] parts.</summary>
    private static (float[] Left, float[] Right) SplitColumns(float[] matrix, int rows, int left, int right)
    {
        var (a, b) = (new float[rows * left], new float[rows * right]);
        for (var row = 0; row < rows; row++)
        {
            Array.Copy(matrix, row * (left + right), a, row * left, left);
            Array.Copy(matrix, (row * (left + right)) + left, b, row * right, right);
        }

        return (a, b);
    }
}
