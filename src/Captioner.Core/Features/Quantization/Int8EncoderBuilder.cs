using Onnx;

namespace Captioner.Core.Features.Quantization;

/// <summary>
/// Folds BatchNormalization into the convolutions, then rewrites the float ResNet graph into ONNX Runtime's int8 operators: QLinearConv
/// with per-channel int8 weights, com.microsoft QLinearAdd, MaxPool on uint8, a Relu that follows either one
/// folded into its output range. Tensors in <c>keepFloat</c> (the outputs the app reads) are made in float,
/// and so is the op that makes them, so they carry no extra rounding.
/// </summary>
internal sealed class Int8EncoderBuilder
{
    private const string MicrosoftDomain = "com.microsoft";

    private readonly GraphProto _graph;
    private readonly IReadOnlyDictionary<string, ActivationRange> _ranges;
    private readonly IReadOnlySet<string> _keepFloat;
    private readonly IReadOnlySet<string> _floatNodes;
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly ILookup<string, NodeProto> _consumers;
    private readonly Dictionary<string, QuantizedTensor> _quantized = [];
    private readonly HashSet<string> _float;
    private readonly HashSet<NodeProto> _fusedRelus = [];
    private readonly List<NodeProto> _nodes = [];

    private Int8EncoderBuilder(GraphProto graph, IReadOnlyDictionary<string, ActivationRange> ranges, IReadOnlySet<string> keepFloat, IReadOnlySet<string> floatNodes)
    {
        _graph = graph;
        _ranges = ranges;
        _keepFloat = keepFloat;
        _floatNodes = floatNodes;
        _initializers = graph.Initializer.ToDictionary(t => t.Name);
        _consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
        _float = [.. graph.Input.Select(i => i.Name), .. _initializers.Keys];
    }

    /// <summary>
    /// Quantises <paramref name="model"/> in place. <paramref name="keepFloat"/>: tensors that must stay float
    /// besides the graph outputs; <paramref name="floatNodes"/>: nodes left in float (for experiments).
    /// </summary>
    public static void Quantize(ModelProto model, IReadOnlyDictionary<string, ActivationRange> ranges, IEnumerable<string> keepFloat, IReadOnlySet<string>? floatNodes = null)
    {
        var graph = model.Graph;
        BatchNormFolding.Fold(graph);
        var mustBeFloat = graph.Output.Select(o => o.Name).Concat(keepFloat).ToHashSet();
        var builder = new Int8EncoderBuilder(graph, ranges, mustBeFloat, floatNodes ?? new HashSet<string>());
        builder.Rewrite();
        foreach (var name in mustBeFloat)
        {
            builder.Float(name);
        }

        graph.Node.Clear();
        graph.Node.AddRange(builder._nodes);

        // The float graph's intermediate shapes and types no longer hold; ONNX Runtime infers them again.
        graph.ValueInfo.Clear();
        BatchNormFolding.RemoveUnusedInitializers(graph);

        // QLinearConv needs opset 10 and MaxPool on uint8 opset 12; every op left (Conv, Relu, Add, MaxPool,
        // AveragePool, Reshape, Transpose) keeps its meaning at 13, and BatchNormalization (whose 'spatial'
        // attribute went away in opset 9) has been folded. IR 7 is the version that goes with opset 13.
        model.IrVersion = Math.Max(model.IrVersion, 7);
        model.OpsetImport.Clear();
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
    }

    /// <summary>
    /// The activations whose ranges the int8 graph may read, named as in the float graph: the input, and what
    /// each Conv and Add yields (after its Relu when one follows).
    /// </summary>
    public static IReadOnlyList<string> CalibratedTensors(GraphProto graph)
    {
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
        var names = new List<string> { graph.Input[0].Name };
        foreach (var node in graph.Node.Where(n => n.OpType is "Conv" or "Add" or "BatchNormalization"))
        {
            if (node.OpType == "Conv" && consumers[node.Output[0]].SingleOrDefault()?.OpType == "BatchNormalization")
            {
                continue;
            }

            names.Add(SoleRelu(consumers, node.Output[0])?.Output[0] ?? node.Output[0]);
        }

        return names;
    }

    private void Rewrite()
    {
        foreach (var node in _graph.Node)
        {
            if (_fusedRelus.Contains(node))
            {
                continue;
            }

            var quantize = !_floatNodes.Contains(node.Name);
            switch (node.OpType)
            {
                case "Conv" when quantize && OutputOf(node) is { } output:
                    EmitQLinearConv(node, output);
                    break;
                case "Add" when quantize && OutputOf(node) is { } output:
                    EmitQLinearAdd(node, output);
                    break;
                case "MaxPool" when quantize && _quantized.ContainsKey(node.Input[0]):
                    EmitQuantizedMaxPool(node);
                    break;
                case "Conv" or "Add" or "Relu" or "MaxPool" or "AveragePool":
                    EmitFloat(node);
                    break;
                default:
                    throw new NotSupportedException($"The int8 encoder does not handle {node.OpType} ({node.Name}).");
            }
        }
    }

    /// <summary>The tensor a quantised op yields, its Relu folded in; null when that tensor must stay float.</summary>
    private string? OutputOf(NodeProto node)
    {
        var relu = SoleRelu(_consumers, node.Output[0]);
        var output = relu?.Output[0] ?? node.Output[0];
        if (_keepFloat.Contains(output) || _keepFloat.Contains(node.Output[0]))
        {
            return null;
        }

        if (relu is not null)
        {
            _fusedRelus.Add(relu);
        }

        return output;
    }

    private void EmitQLinearConv(NodeProto conv, string output)
    {
        var input = Quantized(conv.Input[0]);
        var weight = _initializers[conv.Input[1]];
        var channels = (int)weight.Dims[0];
        var (values, scales) = QuantizationMath.QuantizeWeights(OnnxTensors.ReadFloats(weight), channels, Int8Kernels.WeightLevels);
        var bias = conv.Input.Count > 2 ? OnnxTensors.ReadFloats(_initializers[conv.Input[2]]) : new float[channels];
        var name = conv.Input[1] + "_int8";
        AddInitializer(OnnxTensors.Int8s(name, [.. weight.Dims], values));
        AddInitializer(OnnxTensors.Floats(name + "_scale", [channels], scales));
        AddInitializer(OnnxTensors.Int8s(name + "_zero_point", [channels], new sbyte[channels]));
        AddInitializer(OnnxTensors.Int32s(name + "_bias", [channels], QuantizationMath.QuantizeBias(bias, input.Scale, scales)));
        var result = Declare(output);
        var node = new NodeProto { OpType = "QLinearConv", Name = conv.Name + "_int8" };
        node.Input.AddRange([input.Name, input.ScaleName, input.ZeroPointName, name, name + "_scale", name + "_zero_point", result.ScaleName, result.ZeroPointName, name + "_bias"]);
        node.Output.Add(result.Name);
        node.Attribute.AddRange(conv.Attribute);
        _nodes.Add(node);
    }

    private void EmitQLinearAdd(NodeProto add, string output)
    {
        var a = Quantized(add.Input[0]);
        var b = Quantized(add.Input[1]);
        var result = Declare(output);
        var node = new NodeProto { OpType = "QLinearAdd", Domain = MicrosoftDomain, Name = add.Name + "_int8" };
        node.Input.AddRange([a.Name, a.ScaleName, a.ZeroPointName, b.Name, b.ScaleName, b.ZeroPointName, result.ScaleName, result.ZeroPointName]);
        node.Output.Add(result.Name);
        _nodes.Add(node);
    }

    /// <summary>Max pooling commutes with a monotone quantisation: the uint8 result has the input's scale and zero point.</summary>
    private void EmitQuantizedMaxPool(NodeProto pool)
    {
        var input = _quantized[pool.Input[0]];
        var result = input with { Name = pool.Output[0] + "_quantized" };
        _quantized[pool.Output[0]] = result;
        var node = new NodeProto { OpType = "MaxPool", Name = pool.Name + "_int8" };
        node.Input.Add(input.Name);
        node.Output.Add(result.Name);
        node.Attribute.AddRange(pool.Attribute);
        _nodes.Add(node);
    }

    private void EmitFloat(NodeProto node)
    {
        var copy = node.Clone();
        for (var i = 0; i < copy.Input.Count; i++)
        {
            copy.Input[i] = Float(copy.Input[i]);
        }

        _float.UnionWith(copy.Output);
        _nodes.Add(copy);
    }

    /// <summary>The uint8 form of <paramref name="tensor"/>, quantising its float form here when only that exists.</summary>
    private QuantizedTensor Quantized(string tensor)
    {
        if (_quantized.TryGetValue(tensor, out var quantized))
        {
            return quantized;
        }

        quantized = Declare(tensor);
        var node = new NodeProto { OpType = "QuantizeLinear", Name = tensor + "_quantize" };
        node.Input.AddRange([Float(tensor), quantized.ScaleName, quantized.ZeroPointName]);
        node.Output.Add(quantized.Name);
        _nodes.Add(node);
        return quantized;
    }

    /// <summary>The float form of <paramref name="tensor"/> under its own name, dequantising it here when only the uint8 form exists.</summary>
    private string Float(string tensor)
    {
        if (_float.Contains(tensor))
        {
            return tensor;
        }

        var quantized = _quantized.TryGetValue(tensor, out var q) ? q : throw new InvalidOperationException($"Tensor {tensor} is made by no node.");
        var node = new NodeProto { OpType = "DequantizeLinear", Name = tensor + "_dequantize" };
        node.Input.AddRange([quantized.Name, quantized.ScaleName, quantized.ZeroPointName]);
        node.Output.Add(tensor);
        _nodes.Add(node);
        _float.Add(tensor);
        return tensor;
    }

    /// <summary>Registers the uint8 form of <paramref name="tensor"/> with its scale and zero point from the calibration.</summary>
    private QuantizedTensor Declare(string tensor)
    {
        var range = _ranges.TryGetValue(tensor, out var r) ? r : throw new InvalidDataException($"The int8 calibration table has no range for {tensor}; regenerate it with 'captioner calibrate-encoder'.");
        var (scale, zeroPoint) = QuantizationMath.ForActivation(range);
        var quantized = new QuantizedTensor(tensor + "_quantized", tensor + "_scale", tensor + "_zero_point", scale);
        AddInitializer(OnnxTensors.FloatScalar(quantized.ScaleName, scale));
        AddInitializer(OnnxTensors.UInt8Scalar(quantized.ZeroPointName, zeroPoint));
        _quantized[tensor] = quantized;
        return quantized;
    }

    private void AddInitializer(TensorProto tensor)
    {
        _graph.Initializer.Add(tensor);
        _initializers[tensor.Name] = tensor;
    }

    private static NodeProto? SoleRelu(ILookup<string, NodeProto> consumers, string tensor) =>
        consumers[tensor].ToList() is [{ OpType: "Relu" } relu] ? relu : null;

    private sealed record QuantizedTensor(string Name, string ScaleName, string ZeroPointName, float Scale);
}
