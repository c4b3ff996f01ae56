using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Captioner.Training.Export;

/// <summary>Small builders of ONNX protobuf parts shared by the exporters.</summary>
internal static class OnnxParts
{
    /// <summary>The symbolic batch dimension of every graph input and output.</summary>
    public const string Batch = "N";

    public static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = outputs[0] + "_" + op };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static TensorProto FloatTensor(string name, float[] data, params long[] dims) =>
        Tensor(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(data.AsSpan()), dims);

    public static TensorProto Int64Tensor(string name, long[] data) =>
        Tensor(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(data.AsSpan()), data.Length);

    public static TensorProto Tensor(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> raw, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>A float [N, width] graph input or output.</summary>
    public static ValueInfoProto FloatValue(string name, long width) => Value(name, TensorProto.Types.DataType.Float, width);

    /// <summary>An int64 [N] graph input.</summary>
    public static ValueInfoProto Int64Value(string name) => Value(name, TensorProto.Types.DataType.Int64, null);

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, long? width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = Batch });
        if (width is { } value)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = value });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
