using System.Runtime.InteropServices;
using Captioner.Core.Decoding;
using Onnx;

namespace Captioner.Training.Export;

/// <summary>
/// Where an exported attention step scores the regions: <c>Add(map_projected, W h)</c>, its <c>Tanh</c> and the
/// <c>MatMul</c> by the score vector v, the three nodes every attention exporter writes. The ensemble exporter
/// computes all members' scores in one pass instead (<see cref="EnsembleExporter"/>).
/// </summary>
internal sealed record RegionScores(IReadOnlyList<NodeProto> Nodes, string HiddenProjected, string Scores, float[] ScoreWeights)
{
    /// <summary>The three nodes of <paramref name="step"/>; a clear error when the graph scores its regions otherwise.</summary>
    public static RegionScores Find(GraphProto step)
    {
        var add = OnlyConsumer(step, DecoderGraphs.ProjectedMap, "Add");
        var tanh = OnlyConsumer(step, add.Output[0], "Tanh");
        var score = OnlyConsumer(step, tanh.Output[0], "MatMul");
        var weight = step.Initializer.SingleOrDefault(i => i.Name == score.Input[1] && i.DataType == (int)TensorProto.Types.DataType.Float)
            ?? throw Unexpected($"its region scores multiply by {score.Input[1]}, not a float score vector");
        return new RegionScores([add, tanh, score], add.Input.Single(i => i != DecoderGraphs.ProjectedMap), score.Output[0], MemoryMarshal.Cast<byte, float>(weight.RawData.Span).ToArray());
    }

    private static NodeProto OnlyConsumer(GraphProto step, string value, string op)
    {
        var consumers = step.Node.Where(n => n.Input.Contains(value)).ToList();
        return consumers is [{ } node] && node.OpType == op
            ? node
            : throw Unexpected($"{value} is read by {string.Join(", ", consumers.Select(c => c.OpType))} rather than one {op}");
    }

    private static InvalidDataException Unexpected(string what) =>
        new($"A member's step graph does not score its regions as the attention exporters write it: {what}.");
}
