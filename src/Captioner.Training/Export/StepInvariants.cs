using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Captioner.Training.Export;

/// <summary>
/// The part of an exported attention step that depends on the image alone: nodes computed from the region map and
/// constants only (the adaptive decoder's v_g = ReLU(W mean(map)), the same every step). The ensemble exporter moves
/// them into its init graph and carries their results in the state, so the step stops recomputing them
/// (<see cref="EnsembleExporter"/>). Only [N, W] results are carried; a step with none has nothing to move.
/// </summary>
/// <param name="Nodes">The nodes, in the step's order.</param>
/// <param name="Values">The results the rest of the step reads, with their widths.</param>
internal sealed record StepInvariants(IReadOnlyList<NodeProto> Nodes, IReadOnlyList<(string Name, int Width)> Values)
{
    public static readonly StepInvariants None = new([], []);

    /// <summary>Total width of the carried values.</summary>
    public int Width => Values.Sum(v => v.Width);

    /// <summary>The invariant nodes of <paramref name="step"/> (whose nodes are in order, as the exporters write them).</summary>
    public static StepInvariants Find(GraphProto step)
    {
        var constants = step.Initializer.Select(i => i.Name).ToHashSet();
        var fromImage = new HashSet<string> { DecoderGraphs.Map };
        var nodes = new List<NodeProto>();
        foreach (var node in step.Node)
        {
            if (node.Input.Any(fromImage.Contains) && node.Input.All(i => i.Length == 0 || fromImage.Contains(i) || constants.Contains(i)))
            {
                nodes.Add(node);
                fromImage.UnionWith(node.Output);
            }
        }

        var rest = step.Node.Except(nodes).ToList();
        var read = nodes.SelectMany(n => n.Output).Where(o => rest.Any(n => n.Input.Contains(o)) || step.Output.Any(g => g.Name == o)).ToList();
        if (read.Count == 0)
        {
            return None;
        }

        var widths = Widths(step, nodes, read);
        return widths is null ? None : new StepInvariants(nodes, [.. read.Zip(widths)]);
    }

    /// <summary>A graph of the invariant nodes and the constants they read, from the map to the carried values.</summary>
    public GraphProto AsGraph(GraphProto step)
    {
        var graph = new GraphProto { Name = "step_invariants" };
        var inputs = Nodes.SelectMany(n => n.Input).ToHashSet();
        graph.Initializer.AddRange(step.Initializer.Where(i => inputs.Contains(i.Name)).Select(i => i.Clone()));
        graph.Node.AddRange(Nodes.Select(n => n.Clone()));
        return graph;
    }

    // Runs the nodes on one zero map: the widths of the values, or null when one is not [N, W].
    private static int[]? Widths(GraphProto step, List<NodeProto> nodes, List<string> values)
    {
        var graph = new StepInvariants(nodes, []).AsGraph(step);
        graph.Input.Add(step.Input.Single(i => i.Name == DecoderGraphs.Map).Clone());
        foreach (var value in values)
        {
            graph.Output.Add(new ValueInfoProto { Name = value, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        }

        var model = OnnxParts.Wrap(graph);
        using var session = new InferenceSession(model.ToByteArray());
        using var map = OrtValue.CreateTensorValueFromMemory(new float[EncoderIdentity.MapSize], [1, EncoderIdentity.Regions, EncoderIdentity.FeatureSize]);
        using var options = new RunOptions();
        using var results = session.Run(options, [DecoderGraphs.Map], [map], values);
        var shapes = results.Select(r => r.GetTensorTypeAndShape().Shape).ToList();
        return shapes.All(s => s is [1, > 0]) ? [.. shapes.Select(s => (int)s[1])] : null;
    }
}
