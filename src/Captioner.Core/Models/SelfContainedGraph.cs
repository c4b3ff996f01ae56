using Google.Protobuf;
using Onnx;

namespace Captioner.Core.Models;

/// <summary>
/// Refuses an ONNX graph whose tensors live outside it (external data). ONNX Runtime would read such a tensor from
/// the path the graph names, relative to the working directory or absolute: a model version could make a worker read
/// any file it can see. Every tensor of a model folder's graph must be stored inside the graph.
/// </summary>
internal static class SelfContainedGraph
{
    /// <summary>Throws <see cref="ModelLoadException"/> unless every tensor of <paramref name="graph"/> is stored in it.</summary>
    public static void Check(byte[] graph, string source, string file)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(graph);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ModelLoadException($"{source}: {file} is not an ONNX graph: {ex.Message}", ex);
        }

        var external = ExternalTensors(model).FirstOrDefault();
        if (external is not null)
        {
            throw new ModelLoadException($"{source}: {file} keeps tensor '{external}' in external data; a model's graphs must hold all their tensors.");
        }
    }

    private static IEnumerable<string> ExternalTensors(ModelProto model)
    {
        var graphs = new List<GraphProto>();
        if (model.Graph is not null)
        {
            graphs.Add(model.Graph);
        }

        foreach (var training in model.TrainingInfo)
        {
            graphs.AddRange(new[] { training.Initialization, training.Algorithm }.Where(g => g is not null));
        }

        var nodes = model.Functions.SelectMany(function => function.Node);
        return graphs.SelectMany(InGraph).Concat(nodes.SelectMany(InNode));
    }

    private static IEnumerable<string> InGraph(GraphProto graph) =>
        graph.Initializer.SelectMany(InTensor)
            .Concat(graph.SparseInitializer.SelectMany(InSparse))
            .Concat(graph.Node.SelectMany(InNode));

    // Attributes hold tensors (Constant) and subgraphs (If, Loop, Scan), which hold tensors of their own.
    private static IEnumerable<string> InNode(NodeProto node) =>
        node.Attribute.SelectMany(attribute =>
            (attribute.T is null ? [] : InTensor(attribute.T))
                .Concat(attribute.Tensors.SelectMany(InTensor))
                .Concat(attribute.SparseTensor is null ? [] : InSparse(attribute.SparseTensor))
                .Concat(attribute.SparseTensors.SelectMany(InSparse))
                .Concat(attribute.G is null ? [] : InGraph(attribute.G))
                .Concat(attribute.Graphs.SelectMany(InGraph)));

    private static IEnumerable<string> InSparse(SparseTensorProto sparse) =>
        (sparse.Values is null ? [] : InTensor(sparse.Values)).Concat(sparse.Indices is null ? [] : InTensor(sparse.Indices));

    private static IEnumerable<string> InTensor(TensorProto tensor) =>
        tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0
            ? [string.IsNullOrEmpty(tensor.Name) ? "(unnamed)" : tensor.Name]
            : [];
}
