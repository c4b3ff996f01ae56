using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Captioner.Core.Features.Quantization;

/// <summary>Reads and makes ONNX initializers: the quantiser's, and the nearest-photo search's.</summary>
internal static class OnnxTensors
{
    public static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new NotSupportedException($"Initializer {tensor.Name} is not float.");
        }

        return tensor.FloatData.Count > 0 ? [.. tensor.FloatData] : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }

    public static TensorProto Floats(string name, long[] dims, float[] values) =>
        Raw(name, TensorProto.Types.DataType.Float, dims, MemoryMarshal.AsBytes(values.AsSpan()));

    public static TensorProto Int8s(string name, long[] dims, sbyte[] values) =>
        Raw(name, TensorProto.Types.DataType.Int8, dims, MemoryMarshal.AsBytes(values.AsSpan()));

    public static TensorProto Int64s(string name, long[] dims, long[] values) =>
        Raw(name, TensorProto.Types.DataType.Int64, dims, MemoryMarshal.AsBytes(values.AsSpan()));

    public static TensorProto Int32s(string name, long[] dims, int[] values) =>
        Raw(name, TensorProto.Types.DataType.Int32, dims, MemoryMarshal.AsBytes(values.AsSpan()));

    public static TensorProto FloatScalar(string name, float value) => Floats(name, [], [value]);

    public static TensorProto UInt8Scalar(string name, byte value) => Raw(name, TensorProto.Types.DataType.Uint8, [], [value]);

    private static TensorProto Raw(string name, TensorProto.Types.DataType type, long[] dims, ReadOnlySpan<byte> bytes)
    {
        // Raw little-endian bytes: how ONNX stores int8 and what ONNX Runtime reads without conversion.
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
