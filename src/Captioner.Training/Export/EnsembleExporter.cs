using System.Runtime.InteropServices;
using Captioner.Core.Decoding;
using Captioner.Core.Models;
using Onnx;
using static Captioner.Training.Export.OnnxParts;

namespace Captioner.Training.Export;

/// <summary>
/// Joins exported decoders that share a vocabulary and encoder into one model with the same two-graph
/// interface: the state is the members' states side by side, then any image-only values moved out of their steps
/// (<see cref="EnsembleState"/>), and each step's log-probabilities are those of the members' mean probability,
/// log(mean_m exp(logp_m)) (or their geometric mean, <see cref="EnsembleRule"/>). The runtime needs no change.
/// Attention members share the region map; their projected maps sit side by side too ([N, 49, sum of A]), their
/// region scores and weighted sums are computed for all of them at once, and the ensemble's attention weights are
/// the members' mean. The step graph thus computes what the members' steps would, in fewer passes over the map. Members must read one
/// image input: attention models (soft and adaptive alike) or show-and-tell models. The ensemble records the first
/// member's kind, and every member's in its parameters. Weights may be stored as float16 (cast back to float32 when the session loads) so two
/// members fit where one float32 model did, and the LSTM gates may compute in int8 (<see cref="GateQuantizer"/>).
/// </summary>
public static class EnsembleExporter
{
    /// <summary>Writes the ensemble of the model folders <paramref name="members"/> into <paramref name="directory"/>; returns its manifest.</summary>
    public static ModelManifest Export(IReadOnlyList<string> members, string directory, string version, bool halfPrecision, EnsembleRule rule = EnsembleRule.MeanProbability, bool int8Gates = false)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count < 2)
        {
            throw new ArgumentException("An ensemble needs at least two models.", nameof(members));
        }

        var manifests = new List<ModelManifest>();
        foreach (var member in members)
        {
            using var model = CaptioningModel.LoadFolder(member);
            manifests.Add(model.Manifest);
        }

        var first = manifests[0];
        var vocabulary = File.ReadAllBytes(Path.Combine(members[0], ModelFiles.Vocabulary));
        for (var i = 1; i < members.Count; i++)
        {
            if (manifests[i].Encoder != first.Encoder || !File.ReadAllBytes(Path.Combine(members[i], ModelFiles.Vocabulary)).AsSpan().SequenceEqual(vocabulary))
            {
                throw new InvalidDataException($"{members[i]} has another encoder or vocabulary than {members[0]}: only models trained on the same vocabulary can be joined.");
            }
        }

        for (var i = 1; i < members.Count; i++)
        {
            // The attention kinds share one graph interface (the map in, region weights out), so they join with each other.
            if (manifests[i].Decoder.UsesMap != first.Decoder.UsesMap)
            {
                throw new InvalidDataException(
                    $"{members[i]} is a {manifests[i].Decoder.Kind} model and {members[0]} a {first.Decoder.Kind} model: their graphs read different image inputs, so only attention models or only show-and-tell models can be joined.");
            }
        }

        var hidden = manifests.Select(m => m.Decoder.HiddenSize).ToArray();
        var attention = first.Decoder.UsesMap ? manifests.Select(m => m.Decoder.AttentionSize!.Value).ToArray() : null;
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, ModelFiles.Vocabulary), vocabulary);
        var inits = members.Select(m => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(m, DecoderGraphs.InitFile)))).ToList();
        var steps = members.Select(m => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(m, DecoderGraphs.StepFile)))).ToList();
        var invariants = steps.Select(s => first.Decoder.UsesMap ? StepInvariants.Find(s.Graph) : StepInvariants.None).ToList();
        var state = new EnsembleState(hidden, invariants);
        var step = JoinStep(steps, state, attention, first.Decoder.VocabularySize, halfPrecision, rule);
        if (int8Gates)
        {
            GateQuantizer.Quantize(step.Graph);
        }

        WriteDecoderGraphs(directory, JoinInit(inits, steps, state, attention, halfPrecision), step);

        return ModelFiles.WriteManifest(directory, new ModelManifest
        {
            Version = version,
            CreatedAt = DateTimeOffset.UtcNow,
            Encoder = first.Encoder,
            Decoder = first.Decoder with { HiddenSize = state.Width, AttentionSize = attention?.Sum() },
            Training = first.Training is null ? null : first.Training with
            {
                Parameters = new Dictionary<string, string>(first.Training.Parameters)
                {
                    ["ensemble"] = string.Join(",", manifests.Select(m => m.Version)),
                    ["ensembleKinds"] = string.Join(",", manifests.Select(m => m.Decoder.Kind)),
                    ["weights"] = halfPrecision ? "float16" : "float32",
                    ["ensembleRule"] = Core.KebabCase.Of(rule),
                    ["gateWeights"] = int8Gates ? "int8" : halfPrecision ? "float16" : "float32",
                },
            },
        });
    }

    private static ModelProto JoinInit(List<ModelProto> members, List<ModelProto> steps, EnsembleState state, int[]? attention, bool half)
    {
        var graph = new GraphProto { Name = "captioner_ensemble_init" };
        var input = attention is null ? DecoderGraphs.Features : DecoderGraphs.Map;
        graph.Input.Add(members[0].Graph.Input.Single(i => i.Name == input).Clone());
        for (var m = 0; m < members.Count; m++)
        {
            AddMember(graph, members[m].Graph, Prefix(m), half, keep: [input]);
            if (state.Invariants[m].Nodes.Count > 0)
            {
                // The step's image-only work, once per image here; its results ride in the state.
                AddMember(graph, state.Invariants[m].AsGraph(steps[m].Graph), InvariantPrefix(m), half, keep: [input]);
            }
        }

        if (attention is not null)
        {
            graph.Node.Add(Node("Concat", [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.ProjectedMap)], [DecoderGraphs.ProjectedMap], Int("axis", 2)));
            graph.Output.Add(FloatValue(DecoderGraphs.ProjectedMap, Core.Features.EncoderIdentity.Regions, attention.Sum()));
        }

        string[] hiddenParts = [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.HiddenIn), .. state.Carried.Select(c => InvariantPrefix(c.Member) + c.Name)];
        string[] cellParts = [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.CellIn)];
        if (state.CarriedWidth > 0)
        {
            // The cell state's share of the carried width is zeros, passed along unread.
            graph.Node.Add(Node("Concat", [.. hiddenParts.Skip(members.Count)], ["carried_values"], Int("axis", 1)));
            graph.Node.Add(Node("Shape", ["carried_values"], ["carried_shape"]));
            graph.Node.Add(Node("ConstantOfShape", ["carried_shape"], ["carried_zeros"], new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = FloatTensor("zero", [0f], 1) }));
            cellParts = [.. cellParts, "carried_zeros"];
        }

        graph.Node.Add(Node("Concat", hiddenParts, [DecoderGraphs.HiddenIn], Int("axis", 1)));
        graph.Node.Add(Node("Concat", cellParts, [DecoderGraphs.CellIn], Int("axis", 1)));
        graph.Output.Add(FloatValue(DecoderGraphs.HiddenIn, state.Width));
        graph.Output.Add(FloatValue(DecoderGraphs.CellIn, state.Width));
        return Wrap(graph, members[0]);
    }

    private static ModelProto JoinStep(List<ModelProto> members, EnsembleState state, int[]? attention, int vocabularySize, bool half, EnsembleRule rule)
    {
        var hidden = state.Hidden;
        var graph = new GraphProto { Name = "captioner_ensemble_step" };
        graph.Input.Add(members[0].Graph.Input.Single(i => i.Name == DecoderGraphs.Token).Clone());
        graph.Input.Add(FloatValue(DecoderGraphs.HiddenIn, state.Width));
        graph.Input.Add(FloatValue(DecoderGraphs.CellIn, state.Width));
        string[] shared = [DecoderGraphs.Token];
        var scores = attention is null ? null : members.Select(m => RegionScores.Find(m.Graph)).ToList();
        var mapReads = attention is null ? null : members.Select(m => MapRead.Find(m.Graph)).ToList();
        var outputs = members.Select(m => LogProbabilitiesNode(m.Graph, rule)).ToList();
        if (attention is not null)
        {
            shared = [DecoderGraphs.Token, DecoderGraphs.Map, DecoderGraphs.ProjectedMap];
            graph.Input.Add(members[0].Graph.Input.Single(i => i.Name == DecoderGraphs.Map).Clone());
            graph.Input.Add(FloatValue(DecoderGraphs.ProjectedMap, Core.Features.EncoderIdentity.Regions, attention.Sum()));
        }

        // The state: each member's, then the image-only values carried for them (a member's step reads them by their own names).
        string[] carried = [.. state.Carried.Select(c => Prefix(c.Member) + c.Name)];
        string[] cellCarried = state.CarriedWidth > 0 ? ["carried_cell"] : [];
        graph.Initializer.Add(Int64Tensor("hidden_split", [.. hidden.Select(h => (long)h), .. state.Carried.Select(c => (long)c.Width)]));
        graph.Initializer.Add(Int64Tensor("cell_split", [.. hidden.Select(h => (long)h), .. cellCarried.Select(_ => (long)state.CarriedWidth)]));
        graph.Initializer.Add(Int64Tensor("member_axis", [0]));
        graph.Node.Add(Node("Split", [DecoderGraphs.HiddenIn, "hidden_split"], [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.HiddenIn), .. carried], Int("axis", 1)));
        graph.Node.Add(Node("Split", [DecoderGraphs.CellIn, "cell_split"], [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.CellIn), .. cellCarried], Int("axis", 1)));
        for (var m = 0; m < members.Count; m++)
        {
            var skipped = new List<NodeProto>();
            if (rule == EnsembleRule.GeometricMean)
            {
                skipped.Add(outputs[m]);
            }

            if (scores is not null)
            {
                skipped.AddRange(scores[m].Nodes);
                skipped.Add(mapReads![m].Node);
            }

            skipped.AddRange(state.Invariants[m].Nodes);

            AddMember(graph, members[m].Graph, Prefix(m), half, keep: shared, skip: skipped);
            if (attention is not null)
            {
                graph.Node.Add(Node("Unsqueeze", [Prefix(m) + DecoderGraphs.Attention, "member_axis"], [Prefix(m) + "attention_stacked"]));
            }
        }

        if (scores is not null)
        {
            AddRegionScores(graph, scores, attention!, half);
            AddMapReads(graph, mapReads!);
            graph.Node.Add(Node("Concat", [.. members.Select((_, m) => Prefix(m) + "attention_stacked")], ["all_attention"], Int("axis", 0)));
            graph.Node.Add(Node("ReduceMean", ["all_attention"], [DecoderGraphs.Attention], Ints("axes", 0), Int("keepdims", 0)));
        }

        AddCombinedLogProbabilities(graph, outputs, rule);
        graph.Node.Add(Node("Concat", [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.HiddenOut), .. carried], [DecoderGraphs.HiddenOut], Int("axis", 1)));
        graph.Node.Add(Node("Concat", [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.CellOut), .. cellCarried], [DecoderGraphs.CellOut], Int("axis", 1)));
        graph.Output.Add(FloatValue(DecoderGraphs.LogProbabilities, vocabularySize));
        graph.Output.Add(FloatValue(DecoderGraphs.HiddenOut, state.Width));
        graph.Output.Add(FloatValue(DecoderGraphs.CellOut, state.Width));
        if (attention is not null)
        {
            graph.Output.Add(FloatValue(DecoderGraphs.Attention, Core.Features.EncoderIdentity.Regions));
        }

        return Wrap(graph, members[0]);
    }

    /// <summary>
    /// The member node writing its log-probabilities; under the geometric mean it must be a log-softmax over the
    /// logits, which the ensemble replaces by one over the members' mean logits.
    /// </summary>
    private static NodeProto LogProbabilitiesNode(GraphProto member, EnsembleRule rule)
    {
        var node = member.Node.Single(n => n.Output.Contains(DecoderGraphs.LogProbabilities));
        if (rule == EnsembleRule.GeometricMean && node.OpType != "LogSoftmax")
        {
            throw new InvalidDataException($"A member's log-probabilities come from {node.OpType}, not a log-softmax over its logits: only the mean of probabilities can join it.");
        }

        return node;
    }

    private static void AddCombinedLogProbabilities(GraphProto graph, List<NodeProto> outputs, EnsembleRule rule)
    {
        if (rule == EnsembleRule.GeometricMean)
        {
            // log p ~ mean_m log p_m = mean_m logits_m + a row constant, which one log-softmax removes.
            graph.Initializer.Add(FloatTensor("member_share", [1f / outputs.Count]));
            graph.Node.Add(Node("Sum", [.. outputs.Select((o, m) => Prefix(m) + o.Input[0])], ["logits_sum"]));
            graph.Node.Add(Node("Mul", ["logits_sum", "member_share"], ["logits_mean"]));
            graph.Node.Add(Node("LogSoftmax", ["logits_mean"], [DecoderGraphs.LogProbabilities], Int("axis", 1)));
            return;
        }

        // log(mean_m p_m) = top + log(sum_m exp(log p_m - top)) - log k, with top the members' largest log p: exact,
        // never log(0), and element by element (ReduceLogSumExp over a stacked member axis took 12% of a step).
        graph.Initializer.Add(FloatTensor("log_members", [MathF.Log(outputs.Count)]));
        var logProbabilities = outputs.Select((_, m) => Prefix(m) + DecoderGraphs.LogProbabilities).ToArray();
        graph.Node.Add(Node("Max", logProbabilities, ["top_logprobs"]));
        for (var m = 0; m < outputs.Count; m++)
        {
            graph.Node.Add(Node("Sub", [logProbabilities[m], "top_logprobs"], [Prefix(m) + "below_top"]));
            graph.Node.Add(Node("Exp", [Prefix(m) + "below_top"], [Prefix(m) + "relative"]));
        }

        graph.Node.Add(Node("Sum", [.. outputs.Select((_, m) => Prefix(m) + "relative")], ["relative_sum"]));
        graph.Node.Add(Node("Log", ["relative_sum"], ["log_relative_sum"]));
        graph.Node.Add(Node("Add", ["top_logprobs", "log_relative_sum"], ["summed_logprobs"]));
        graph.Node.Add(Node("Sub", ["summed_logprobs", "log_members"], [DecoderGraphs.LogProbabilities]));
    }

    /// <summary>
    /// Every member's attention-weighted sum of the region map in one MatMul: their [N, 1, 49] weights stacked to
    /// [N, k, 49] times the map [N, 49, F], then split back, so the step reads the map (49 x 512 values a row) once for
    /// all of them.
    /// </summary>
    private static void AddMapReads(GraphProto graph, List<MapRead> members)
    {
        graph.Initializer.Add(Int64Tensor("map_read_split", [.. members.Select(_ => 1L)]));
        graph.Node.Add(Node("Concat", [.. members.Select((r, m) => Prefix(m) + r.Weights)], ["map_weights"], Int("axis", 1)));
        graph.Node.Add(Node("MatMul", ["map_weights", DecoderGraphs.Map], ["map_reads"]));
        graph.Node.Add(Node("Split", ["map_reads", "map_read_split"], [.. members.Select((r, m) => Prefix(m) + r.Output)], Int("axis", 1)));
    }

    /// <summary>
    /// Every member's region scores v_m . tanh(P_m map + W_m h_m) at once, over the members' projected maps side by
    /// side: one Add and one Tanh over [N, 49, sum of A], then one MatMul by the members' score vectors on a block
    /// diagonal. Same arithmetic as each member's own nodes, without first splitting the projected map apart (a copy
    /// of its every value, each step).
    /// </summary>
    private static void AddRegionScores(GraphProto graph, List<RegionScores> members, int[] attention, bool half)
    {
        var blocks = new float[attention.Sum() * members.Count];
        var row = 0;
        for (var m = 0; m < members.Count; m++)
        {
            var weights = members[m].ScoreWeights;
            if (weights.Length != attention[m])
            {
                throw new InvalidDataException($"Member {m + 1}'s score vector has {weights.Length} values for an attention size of {attention[m]}.");
            }

            for (var i = 0; i < attention[m]; i++, row++)
            {
                blocks[(row * members.Count) + m] = half ? (float)(Half)weights[i] : weights[i];
            }
        }

        graph.Initializer.Add(FloatTensor("score_blocks", blocks, attention.Sum(), members.Count));
        graph.Initializer.Add(Int64Tensor("score_split", [.. members.Select(_ => 1L)]));
        graph.Node.Add(Node("Concat", [.. members.Select((s, m) => Prefix(m) + s.HiddenProjected)], ["hidden_projected_all"], Int("axis", 2)));
        graph.Node.Add(Node("Add", [DecoderGraphs.ProjectedMap, "hidden_projected_all"], ["joint_all"]));
        graph.Node.Add(Node("Tanh", ["joint_all"], ["joint_all_tanh"]));
        graph.Node.Add(Node("MatMul", ["joint_all_tanh", "score_blocks"], ["scores_all"]));
        graph.Node.Add(Node("Split", ["scores_all", "score_split"], [.. members.Select((s, m) => Prefix(m) + s.Scores)], Int("axis", 2)));
    }

    /// <summary>Copies a member's nodes and initializers with every name prefixed, except the shared inputs in <paramref name="keep"/>.</summary>
    private static void AddMember(GraphProto target, GraphProto member, string prefix, bool half, string[] keep, IReadOnlyCollection<NodeProto>? skip = null)
    {
        string Rename(string name) => name.Length == 0 || keep.Contains(name) ? name : prefix + name;
        var nodes = member.Node.Where(n => skip is null || !skip.Contains(n)).ToList();

        // Only the weights the kept nodes read: those of nodes the ensemble replaced would ride along unused.
        var read = nodes.SelectMany(n => n.Input).ToHashSet();
        foreach (var initializer in member.Initializer.Where(i => read.Contains(i.Name)))
        {
            if (half && initializer.DataType == (int)TensorProto.Types.DataType.Float)
            {
                // Stored as float16, cast back to float32 by a node ONNX Runtime folds into a constant at load.
                var stored = ToHalf(initializer, prefix + initializer.Name + "_f16");
                target.Initializer.Add(stored);
                target.Node.Add(Node("Cast", [stored.Name], [prefix + initializer.Name], Int("to", (long)TensorProto.Types.DataType.Float)));
            }
            else
            {
                var copy = initializer.Clone();
                copy.Name = prefix + initializer.Name;
                target.Initializer.Add(copy);
            }
        }

        foreach (var node in nodes)
        {
            var copy = node.Clone();
            copy.Name = prefix + node.Name;
            copy.Input.Clear();
            copy.Input.AddRange(node.Input.Select(Rename));
            copy.Output.Clear();
            copy.Output.AddRange(node.Output.Select(Rename));
            target.Node.Add(copy);
        }
    }

    private static TensorProto ToHalf(TensorProto tensor, string name)
    {
        var values = MemoryMarshal.Cast<byte, float>(tensor.RawData.Span);
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = (Half)values[i];
        }

        return Tensor(name, TensorProto.Types.DataType.Float16, MemoryMarshal.AsBytes(halves.AsSpan()), [.. tensor.Dims]);
    }

    private static string Prefix(int member) => $"m{member}_";

    private static string InvariantPrefix(int member) => $"m{member}_step_";

    private static ModelProto Wrap(GraphProto graph, ModelProto template)
    {
        var model = new ModelProto { IrVersion = template.IrVersion, ProducerName = "Captioner ensemble", Graph = graph };
        model.OpsetImport.AddRange(template.OpsetImport.Select(o => o.Clone()));
        return model;
    }
}
