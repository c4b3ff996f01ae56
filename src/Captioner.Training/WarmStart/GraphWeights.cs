using System.Runtime.InteropServices;
using Onnx;

namespace Captioner.Training.WarmStart;

/// <summary>
/// The stored weights of a decoder's init and step graphs, by name, as float32 whatever way the exporters stored them:
/// float32, float16 behind a Cast (an ensemble's <c>_f16</c> initializers) or an int8 gate product
/// (<see cref="Export.GateQuantizer"/>: weights per output unit times their scale).
/// </summary>
internal sealed class GraphWeights
{
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);

    public GraphWeights(params GraphProto[] graphs)
    {
        foreach (var initializer in graphs.SelectMany(graph => graph.Initializer))
        {
            _initializers.TryAdd(initializer.Name, initializer);
        }
    }

    public bool Has(string name) => _initializers.ContainsKey(name) || _initializers.ContainsKey(name + "_f16");

    /// <summary>The float values of <paramref name="name"/> and its dimensions.</summary>
    public (float[] Values, long[] Dims) Get(string name)
    {
        var tensor = _initializers.GetValueOrDefault(name) ?? _initializers.GetValueOrDefault(name + "_f16")
            ?? throw new InvalidDataException($"The model's graphs have no weight '{name}': it was not written by this version's exporter.");
        return (Floats(tensor), [.. tensor.Dims]);
    }

    /// <summary>An int8 gate product's weight [outputs, inputs] dequantised (what the float Gemm it replaced held, to the int8 rounding).</summary>
    public (float[] Values, long[] Dims) Dequantised(string prefix)
    {
        var (quantised, dims) = (_initializers[prefix + "weight"], _initializers[prefix + "weight"].Dims);
        var (scales, _) = Get(prefix + "weight_scale");
        int inputs = (int)dims[0], outputs = (int)dims[1];
        var values = MemoryMarshal.Cast<byte, sbyte>(quantised.RawData.Span);
        var weight = new float[outputs * inputs];
        for (var k = 0; k < inputs; k++)
        {
            for (var o = 0; o < outputs; o++)
            {
                weight[(o * inputs) + k] = values[(k * outputs) + o] * scales[o];
            }
        }

        return (weight, [outputs, inputs]);
    }

    private static float[] Floats(TensorProto tensor) => tensor.DataType switch
    {
        (int)TensorProto.Types.DataType.Float when tensor.RawData.Length > 0 => MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray(),
        (int)TensorProto.Types.DataType.Float => [.. tensor.FloatData],
        (int)TensorProto.Types.DataType.Float16 => [.. MemoryMarshal.Cast<byte, Half>(tensor.RawData.Span).ToArray().Select(h => (float)h)],
        _ => throw new InvalidDataException($"The weight '{tensor.Name}' is neither float32 nor float16."),
    };
}
