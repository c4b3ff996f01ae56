using Captioner.Core.Decoding;
using Onnx;

namespace Captioner.Training.Export;

/// <summary>
/// Where an exported attention step weighs the region map by its attention: the one <c>MatMul(w [N, 1, 49], map)</c>
/// every attention exporter writes. The ensemble exporter does all members' weighted sums in one MatMul, so a step
/// reads the map, the largest input, once for them (<see cref="EnsembleExporter"/>). Other reads of the map (the
/// adaptive decoder's mean, which its LSTM needs before its attention) stay the member's own.
/// </summary>
/// <param name="Node">The member's MatMul.</param>
internal sealed record MapRead(NodeProto Node)
{
    /// <summary>The [N, 1, 49] attention weights.</summary>
    public string Weights => Node.Input[0];

    /// <summary>The weighted sum [N, 1, F].</summary>
    public string Output => Node.Output[0];

    /// <summary>The weighted sum of <paramref name="step"/>; a clear error when the graph has none, or several.</summary>
    public static MapRead Find(GraphProto step)
    {
        var weighted = step.Node.Where(n => n.OpType == "MatMul" && n.Input.Count == 2 && n.Input[1] == DecoderGraphs.Map).ToList();
        return weighted is [{ } node]
            ? new MapRead(node)
            : throw new InvalidDataException($"A member's step graph weighs the region map {weighted.Count} times, not once as the attention exporters write it.");
    }
}
