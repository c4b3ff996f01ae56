using Captioner.Core.Features;
using Captioner.Core.Features.Quantization;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Captioner.Core.Confidence;

/// <summary>
/// The nearest training photos of a batch of photos in one ONNX Runtime pass: their unit-length pooled features times the
/// training photos' (a [N, 512] x [512, photos] matrix product, so the 12 MB of training features is read once per batch,
/// not once per photo), then the top k of each row. Built in memory when a model loads; thread-safe.
/// </summary>
internal sealed class NeighbourSearch : IDisposable
{
    private const int Width = EncoderIdentity.FeatureSize;
    private const string Input = "pooled";
    private const string Values = "similarities";
    private const string Indices = "photos";
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    /// <summary>Over <paramref name="count"/> unit-length training rows in <paramref name="reference"/>, returning the <paramref name="neighbours"/> nearest.</summary>
    public NeighbourSearch(float[] reference, int count, int neighbours)
    {
        Neighbours = neighbours;
        using var options = ExecutionProviderChoice.CpuFriendly(new SessionOptions());
        _session = new InferenceSession(Graph(reference, count, neighbours).ToByteArray(), options);
    }

    public int Neighbours { get; }

    /// <summary>
    /// For each of <paramref name="rows"/> unit-length rows of <paramref name="queries"/>: its nearest training photos'
    /// cosine similarities, highest first, and their indices, <see cref="Neighbours"/> each, back to back.
    /// </summary>
    public (float[] Similarities, long[] Photos) Search(float[] queries, int rows)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(queries, [rows, Width]);
        using var outputs = _session.Run(_runOptions, [Input], [input], [Values, Indices]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<long>().ToArray());
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private static ModelProto Graph(float[] reference, int count, int neighbours)
    {
        // The training rows as columns: [512, photos].
        var transposed = new float[Width * count];
        for (var photo = 0; photo < count; photo++)
        {
            for (var i = 0; i < Width; i++)
            {
                transposed[(i * count) + photo] = reference[(photo * Width) + i];
            }
        }

        var graph = new GraphProto { Name = "nearest-training-photos" };
        graph.Initializer.Add(OnnxTensors.Floats("reference", [Width, count], transposed));
        graph.Initializer.Add(OnnxTensors.Int64s("k", [1], [neighbours]));
        graph.Node.Add(Node("MatMul", [Input, "reference"], ["all"]));
        var topK = Node("TopK", ["all", "k"], [Values, Indices]);
        topK.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(topK);
        graph.Input.Add(Value(Input, TensorProto.Types.DataType.Float, Width));
        graph.Output.Add(Value(Values, TensorProto.Types.DataType.Float, neighbours));
        graph.Output.Add(Value(Indices, TensorProto.Types.DataType.Int64, neighbours));
        var model = new ModelProto { IrVersion = 8, ProducerName = "Captioner", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        return model;
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = op };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    /// <summary>A [N, <paramref name="width"/>] tensor's description, N symbolic.</summary>
    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}
