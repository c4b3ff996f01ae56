using Onnx;

namespace Captioner.Core.Features;

/// <summary>Adds the region map [N, 49, 512] as a second encoder output: the last ReLU's [N, 512, 7, 7], reshaped and transposed.</summary>
internal static class RegionMapOutput
{
    /// <summary>The last convolution block's output, before pooling.</summary>
    public const string ConvolutionMap = "ReLU393_Output_0";

    public const string Name = "captioner_region_map";

    public static void Add(GraphProto graph)
    {
        var shape = new TensorProto { Name = Name + "_shape", DataType = (int)TensorProto.Types.DataType.Int64 };
        shape.Dims.Add(3);
        shape.Int64Data.AddRange([0, EncoderIdentity.FeatureSize, EncoderIdentity.Regions]);
        graph.Initializer.Add(shape);
        var reshape = new NodeProto { OpType = "Reshape", Name = Name + "_reshape" };
        reshape.Input.AddRange([ConvolutionMap, shape.Name]);
        reshape.Output.Add(Name + "_channels");
        var transpose = new NodeProto { OpType = "Transpose", Name = Name + "_transpose" };
        transpose.Input.Add(Name + "_channels");
        transpose.Output.Add(Name);
        transpose.Attribute.Add(new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0, 2, 1 } });
        graph.Node.AddRange([reshape, transpose]);
        var dims = new TensorShapeProto();
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = EncoderIdentity.Regions });
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = EncoderIdentity.FeatureSize });
        graph.Output.Add(new ValueInfoProto
        {
            Name = Name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = dims } },
        });
    }
}
