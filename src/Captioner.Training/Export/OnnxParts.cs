using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Captioner.Training.Export;

/// <summary>Small builders of ONNX protobuf parts shared by the exporters.</summary>
internal static class OnnxParts
{
    /// <summary>The symbolic batch dimension of every graph input and output.</summary>
    public const string Batch = "N";

    /// <summary>The ONNX IR version and opset of every exported graph.</summary>
    public const long IrVersion = 8;
    public const long Opset = 17;

    /// <summary>A model around <paramref name="graph"/> with this project's IR version and opset.</summary>
    public static ModelProto Wrap(GraphProto graph)
    {
        var model = new ModelProto { IrVersion = IrVersion, ProducerName = "Captioner", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return model;
    }

    /// <summary>Writes a decoder's init and step graphs as <see cref="Core.Decoding.DecoderGraphs.InitFile"/> and <see cref="Core.Decoding.DecoderGraphs.StepFile"/> into <paramref name="directory"/>.</summary>
    public static void WriteDecoderGraphs(string directory, ModelProto init, ModelProto step)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, Core.Decoding.DecoderGraphs.InitFile), init.ToByteArray());
        File.WriteAllBytes(Path.Combine(directory, Core.Decoding.DecoderGraphs.StepFile), step.ToByteArray());
    }

    /// <summary>y = x W^T + b.</summary>
    public static NodeProto Gemm(string input, string weight, string bias, string output) =>
        Node("Gemm", [input, weight, bias], [output], Int("transB", 1));

    /// <summary>
    /// One Gemm's weights for an LSTM cell over [x, h]: W = [W_ih | W_hh] row by row, b = b_ih + b_hh
    /// (torch's gate order i, f, g, o kept).
    /// </summary>
    public static (float[] Weight, float[] Bias) LstmGateWeights(float[] inputWeight, float[] hiddenWeight, float[] inputBias, float[] hiddenBias, int inputSize, int hiddenSize)
    {
        var weight = new float[4 * hiddenSize * (inputSize + hiddenSize)];
        var bias = new float[4 * hiddenSize];
        for (var row = 0; row < 4 * hiddenSize; row++)
        {
            Array.Copy(inputWeight, row * inputSize, weight, row * (inputSize + hiddenSize), inputSize);
            Array.Copy(hiddenWeight, row * hiddenSize, weight, (row * (inputSize + hiddenSize)) + inputSize, hiddenSize);
            bias[row] = inputBias[row] + hiddenBias[row];
        }

        return (weight, bias);
    }

    /// <summary>
    /// The LSTM cell over <paramref name="inputAndHidden"/> ([x, h], with initializers <c>gate_weight</c>
    /// and <c>gate_bias</c>) giving c_out and h_out, then the output layer over h_out giving logprobs.
    /// </summary>
    public static void AddLstmCellAndOutput(GraphProto graph, string inputAndHidden)
    {
        AddLstmCell(graph, inputAndHidden);
        AddOutputLayer(graph, Core.Decoding.DecoderGraphs.HiddenOut);
    }

    /// <summary>The LSTM cell over <paramref name="inputAndHidden"/> ([x, h]; initializers <c>gate_weight</c>, <c>gate_bias</c>) giving c_out and h_out.</summary>
    public static void AddLstmCell(GraphProto graph, string inputAndHidden)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.Node.Add(Gemm(inputAndHidden, "gate_weight", "gate_bias", "gates"));
        graph.Node.Add(Node("Split", ["gates"], ["gate_i", "gate_f", "gate_g", "gate_o"], Int("axis", 1)));
        graph.Node.Add(Node("Sigmoid", ["gate_i"], ["i"]));
        graph.Node.Add(Node("Sigmoid", ["gate_f"], ["f"]));
        graph.Node.Add(Node("Tanh", ["gate_g"], ["g"]));
        graph.Node.Add(Node("Sigmoid", ["gate_o"], ["o"]));
        graph.Node.Add(Node("Mul", ["f", Core.Decoding.DecoderGraphs.CellIn], ["kept"]));
        graph.Node.Add(Node("Mul", ["i", "g"], ["written"]));
        graph.Node.Add(Node("Add", ["kept", "written"], [Core.Decoding.DecoderGraphs.CellOut]));
        graph.Node.Add(Node("Tanh", [Core.Decoding.DecoderGraphs.CellOut], ["cell_tanh"]));
        graph.Node.Add(Node("Mul", ["o", "cell_tanh"], [Core.Decoding.DecoderGraphs.HiddenOut]));
    }

    /// <summary>The output layer over <paramref name="input"/> (initializers <c>output_weight</c>, <c>output_bias</c>) and the log-softmax giving logprobs.</summary>
    public static void AddOutputLayer(GraphProto graph, string input)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.Node.Add(Gemm(input, "output_weight", "output_bias", "logits"));
        graph.Node.Add(Node("LogSoftmax", ["logits"], [Core.Decoding.DecoderGraphs.LogProbabilities], Int("axis", 1)));
    }

    /// <summary>y = x W^T, a layer without bias.</summary>
    public static NodeProto Linear(string input, string weight, string output) =>
        Node("Gemm", [input, weight], [output], Int("transB", 1));

    /// <summary>
    /// Folds a per-channel standardisation (x - m) * s of the input into a layer [rows x F]:
    /// W((x - m) * s) + b = (W * s) x + (b - W (m * s)).
    /// </summary>
    public static (float[] Weight, float[] Bias) FoldStandardisation(float[] weight, float[] bias, int rows, float[] mean, float[] scale)
    {
        var f = mean.Length;
        var folded = new float[weight.Length];
        var foldedBias = new float[rows];
        for (var row = 0; row < rows; row++)
        {
            double shift = 0;
            for (var col = 0; col < f; col++)
            {
                var value = weight[(row * f) + col];
                folded[(row * f) + col] = value * scale[col];
                shift += value * (double)mean[col] * scale[col];
            }

            foldedBias[row] = (float)(bias[row] - shift);
        }

        return (folded, foldedBias);
    }

    /// <summary>The transpose of a row-major [rows x cols] matrix.</summary>
    public static float[] Transpose(float[] matrix, int rows, int cols)
    {
        var result = new float[matrix.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                result[(c * rows) + r] = matrix[(r * cols) + c];
            }
        }

        return result;
    }

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

    /// <summary>A float [N, rows, width] graph input or output.</summary>
    public static ValueInfoProto FloatValue(string name, long rows, long width)
    {
        var value = Value(name, TensorProto.Types.DataType.Float, rows);
        value.Type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return value;
    }

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
