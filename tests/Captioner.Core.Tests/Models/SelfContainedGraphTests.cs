using Captioner.Core.Models;
using Google.Protobuf;
using Onnx;

namespace Captioner.Core.Tests.Models;

/// <summary>A graph must hold all its tensors: external data anywhere in it, subgraphs included, is refused.</summary>
public sealed class SelfContainedGraphTests
{
    [Fact]
    public void A_graph_whose_tensors_are_all_inside_it_passes()
    {
        SelfContainedGraph.Check(Graph().ToByteArray(), "test", "g.onnx");
    }

    [Fact]
    public void An_initializer_in_external_data_is_refused_with_its_name()
    {
        var model = Graph();
        model.Graph.Initializer.Add(ExternalTensor("weights"));

        var error = Assert.Throws<ModelLoadException>(() => SelfContainedGraph.Check(model.ToByteArray(), "models/v1", "g.onnx"));

        Assert.Equal("models/v1: g.onnx keeps tensor 'weights' in external data; a model's graphs must hold all their tensors.", error.Message);
    }

    [Fact]
    public void A_tensor_with_external_data_entries_but_no_location_flag_is_refused()
    {
        var model = Graph();
        var tensor = new TensorProto { Name = "listed", DataType = (int)TensorProto.Types.DataType.Float };
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "../secret" });
        model.Graph.Initializer.Add(tensor);

        Assert.Contains("'listed'", Assert.Throws<ModelLoadException>(() => SelfContainedGraph.Check(model.ToByteArray(), "test", "g.onnx")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_constant_in_a_subgraph_of_an_if_node_with_external_data_is_refused()
    {
        var branch = new GraphProto { Name = "then" };
        var constant = new NodeProto { OpType = "Constant", Output = { "c" } };
        constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = ExternalTensor("deep") });
        branch.Node.Add(constant);
        var model = Graph();
        var conditional = new NodeProto { OpType = "If", Input = { "x" }, Output = { "y" } };
        conditional.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = branch });
        model.Graph.Node.Add(conditional);

        Assert.Contains("'deep'", Assert.Throws<ModelLoadException>(() => SelfContainedGraph.Check(model.ToByteArray(), "test", "g.onnx")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_an_onnx_graph_are_refused()
    {
        var error = Assert.Throws<ModelLoadException>(() => SelfContainedGraph.Check([0xFF, 0xFF, 0xFF, 0xFF], "test", "g.onnx"));

        Assert.StartsWith("test: g.onnx is not an ONNX graph", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A graph with one initializer stored in it.</summary>
    private static ModelProto Graph()
    {
        var graph = new GraphProto { Name = "g" };
        graph.Initializer.Add(new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 2 }, RawData = ByteString.CopyFrom(new byte[8]) });
        return new ModelProto { IrVersion = 8, Graph = graph };
    }

    private static TensorProto ExternalTensor(string name)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, Dims = { 2 }, DataLocation = TensorProto.Types.DataLocation.External };
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "/etc/hostname" });
        return tensor;
    }
}
