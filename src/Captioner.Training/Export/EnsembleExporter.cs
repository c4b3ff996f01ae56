using System.Runtime.InteropServices;
using Captioner.Core.Decoding;
using Captioner.Core.Models;
using Onnx;
using static Captioner.Training.Export.OnnxParts;

namespace Captioner.Training.Export;

/// <summary>
/// Joins exported decoders that share a vocabulary and encoder into one model with the same two-graph
/// interface: the state is the members' states side by side ([N, k x H]) and each step's
/// log-probabilities are those of the members' mean probability, log(mean_m exp(logp_m)). The runtime
/// needs no change. Soft-attention members share the region map; their projected maps sit side by side
/// too ([N, 49, sum of A]) and the ensemble's attention weights are the members' mean. Members must read one
/// image input: attention models (soft and adaptive alike) or show-and-tell models. The ensemble records the first
/// member's kind, and every member's in its parameters. Weights may be stored as float16 (cast back to float32 when the session loads) so two
/// members fit where one float32 model did.
/// </summary>
public static class EnsembleExporter
{
    /// <summary>Writes the ensemble of the model folders <paramref name="members"/> into <paramref name="directory"/>; returns its manifest.</summary>
    public static ModelManifest Export(IReadOnlyList<string> members, string directory, string version, bool halfPrecision)
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
        WriteDecoderGraphs(directory, JoinInit(inits, hidden, attention, halfPrecision), JoinStep(steps, hidden, attention, first.Decoder.VocabularySize, halfPrecision));

        return ModelFiles.WriteManifest(directory, new ModelManifest
        {
            Version = version,
            CreatedAt = DateTimeOffset.UtcNow,
            Encoder = first.Encoder,
            Decoder = first.Decoder with { HiddenSize = hidden.Sum(), AttentionSize = attention?.Sum() },
            Training = first.Training is null ? null : first.Training with
            {
                Parameters = new Dictionary<string, string>(first.Training.Parameters)
                {
                    ["ensemble"] = string.Join(",", manifests.Select(m => m.Version)),
                    ["ensembleKinds"] = string.Join(",", manifests.Select(m => m.Decoder.Kind)),
                    ["weights"] = halfPrecision ? "float16" : "float32",
                },
            },
        });
    }

    private static ModelProto JoinInit(List<ModelProto> members, int[] hidden, int[]? attention, bool half)
    {
        var graph = new GraphProto { Name = "captioner_ensemble_init" };
        var input = attention is null ? DecoderGraphs.Features : DecoderGraphs.Map;
        graph.Input.Add(members[0].Graph.Input.Single(i => i.Name == input).Clone());
        for (var m = 0; m < members.Count; m++)
        {
            AddMember(graph, members[m].Graph, Prefix(m), half, keep: [input]);
        }

        if (attention is not null)
        {
            graph.Node.Add(Node("Concat", [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.ProjectedMap)], [DecoderGraphs.ProjectedMap], Int("axis", 2)));
            graph.Output.Add(FloatValue(DecoderGraphs.ProjectedMap, Core.Features.EncoderIdentity.Regions, attention.Sum()));
        }

        graph.Node.Add(Node("Concat", [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.HiddenIn)], [DecoderGraphs.HiddenIn], Int("axis", 1)));
        graph.Node.Add(Node("Concat", [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.CellIn)], [DecoderGraphs.CellIn], Int("axis", 1)));
        graph.Output.Add(FloatValue(DecoderGraphs.HiddenIn, hidden.Sum()));
        graph.Output.Add(FloatValue(DecoderGraphs.CellIn, hidden.Sum()));
        return Wrap(graph, members[0]);
    }

    private static ModelProto JoinStep(List<ModelProto> members, int[] hidden, int[]? attention, int vocabularySize, bool half)
    {
        var graph = new GraphProto { Name = "captioner_ensemble_step" };
        graph.Input.Add(members[0].Graph.Input.Single(i => i.Name == DecoderGraphs.Token).Clone());
        graph.Input.Add(FloatValue(DecoderGraphs.HiddenIn, hidden.Sum()));
        graph.Input.Add(FloatValue(DecoderGraphs.CellIn, hidden.Sum()));
        string[] shared = [DecoderGraphs.Token];
        if (attention is not null)
        {
            var regions = Core.Features.EncoderIdentity.Regions;
            shared = [DecoderGraphs.Token, DecoderGraphs.Map];
            graph.Input.Add(members[0].Graph.Input.Single(i => i.Name == DecoderGraphs.Map).Clone());
            graph.Input.Add(FloatValue(DecoderGraphs.ProjectedMap, regions, attention.Sum()));
            graph.Initializer.Add(Int64Tensor("projection_split", [.. attention.Select(a => (long)a)]));
            graph.Node.Add(Node("Split", [DecoderGraphs.ProjectedMap, "projection_split"], [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.ProjectedMap)], Int("axis", 2)));
        }

        graph.Initializer.Add(Int64Tensor("state_split", [.. hidden.Select(h => (long)h)]));
        graph.Initializer.Add(Int64Tensor("member_axis", [0]));
        graph.Initializer.Add(FloatTensor("log_members", [MathF.Log(members.Count)]));
        graph.Node.Add(Node("Split", [DecoderGraphs.HiddenIn, "state_split"], [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.HiddenIn)], Int("axis", 1)));
        graph.Node.Add(Node("Split", [DecoderGraphs.CellIn, "state_split"], [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.CellIn)], Int("axis", 1)));
        for (var m = 0; m < members.Count; m++)
        {
            AddMember(graph, members[m].Graph, Prefix(m), half, keep: shared);
            graph.Node.Add(Node("Unsqueeze", [Prefix(m) + DecoderGraphs.LogProbabilities, "member_axis"], [Prefix(m) + "stacked"]));
            if (attention is not null)
            {
                graph.Node.Add(Node("Unsqueeze", [Prefix(m) + DecoderGraphs.Attention, "member_axis"], [Prefix(m) + "attention_stacked"]));
            }
        }

        if (attention is not null)
        {
            graph.Node.Add(Node("Concat", [.. members.Select((_, m) => Prefix(m) + "attention_stacked")], ["all_attention"], Int("axis", 0)));
            graph.Node.Add(Node("ReduceMean", ["all_attention"], [DecoderGraphs.Attention], Ints("axes", 0), Int("keepdims", 0)));
        }

        // log(mean_m p_m) = logsumexp_m(log p_m) - log k.
        graph.Node.Add(Node("Concat", [.. members.Select((_, m) => Prefix(m) + "stacked")], ["all_logprobs"], Int("axis", 0)));
        graph.Node.Add(Node("ReduceLogSumExp", ["all_logprobs"], ["summed_logprobs"], Ints("axes", 0), Int("keepdims", 0)));
        graph.Node.Add(Node("Sub", ["summed_logprobs", "log_members"], [DecoderGraphs.LogProbabilities]));
        graph.Node.Add(Node("Concat", [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.HiddenOut)], [DecoderGraphs.HiddenOut], Int("axis", 1)));
        graph.Node.Add(Node("Concat", [.. members.Select((_, m) => Prefix(m) + DecoderGraphs.CellOut)], [DecoderGraphs.CellOut], Int("axis", 1)));
        graph.Output.Add(FloatValue(DecoderGraphs.LogProbabilities, vocabularySize));
        graph.Output.Add(FloatValue(DecoderGraphs.HiddenOut, hidden.Sum()));
        graph.Output.Add(FloatValue(DecoderGraphs.CellOut, hidden.Sum()));
        if (attention is not null)
        {
            graph.Output.Add(FloatValue(DecoderGraphs.Attention, Core.Features.EncoderIdentity.Regions));
        }

        return Wrap(graph, members[0]);
    }

    /// <summary>Copies a member's nodes and initializers with every name prefixed, except the shared inputs in <paramref name="keep"/>.</summary>
    private static void AddMember(GraphProto target, GraphProto member, string prefix, bool half, string[] keep)
    {
        string Rename(string name) => name.Length == 0 || keep.Contains(name) ? name : prefix + name;
        foreach (var initializer in member.Initializer)
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

        foreach (var node in member.Node)
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

    private static ModelProto Wrap(GraphProto graph, ModelProto template)
    {
        var model = new ModelProto { IrVersion = template.IrVersion, ProducerName = "Captioner ensemble", Graph = graph };
        model.OpsetImport.AddRange(template.OpsetImport.Select(o => o.Clone()));
        return model;
    }
}
