using Microsoft.ML.OnnxRuntime;
using Onnx;
using Captioner.Core.Imaging;

namespace Captioner.Core.Features;

/// <summary>
/// The pretrained ResNet18 encoder on ONNX Runtime: planar RGB images in; out of one pass, 512 pooled
/// features and the [49 x 512] map of the last convolution block (ReLU393, 7x7, made region-major in
/// the graph) for attention decoders. The packaged graphs are fixed at batch 1; their batch dimension
/// is made symbolic at load so a whole batch runs in one call.
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
    private const string ModelFile = "ResNet18.onnx";
    private const string PreprocessFile = "ResNetPreprocess.onnx";
    private const string ConvolutionMap = "ReLU393_Output_0";
    private const string RegionMap = "captioner_region_map";

    private readonly InferenceSession _preprocess;
    private readonly InferenceSession _network;
    private readonly string _preprocessInput;
    private readonly string _preprocessOutput;
    private readonly string _networkInput;
    private readonly string _networkOutput;
    private readonly RunOptions _runOptions = new();

    public FeatureExtractor(FeatureExtractorOptions? options = null)
    {
        options ??= new FeatureExtractorOptions();
        var directory = options.EncoderDirectory ?? Path.Combine(AppContext.BaseDirectory, "encoder");
        using var sessionOptions = ExecutionProviderChoice.Create(options.PreferCuda, options.IntraOpThreads, out var provider);
        ExecutionProvider = provider;
        _preprocess = new InferenceSession(LoadWithDynamicBatch(Path.Combine(directory, PreprocessFile), addRegionMap: false), sessionOptions);
        _network = new InferenceSession(LoadWithDynamicBatch(Path.Combine(directory, ModelFile), addRegionMap: true), sessionOptions);
        _preprocessInput = _preprocess.InputNames[0];
        _preprocessOutput = _preprocess.OutputNames[0];
        _networkInput = _network.InputNames[0];
        _networkOutput = _network.OutputNames[0];
    }

    /// <summary>The execution provider in use, for logs.</summary>
    public string ExecutionProvider { get; }

    /// <summary>
    /// Encodes <paramref name="count"/> images laid out back to back in <paramref name="pixels"/>; returns
    /// count x 512 pooled features and count x 49 x 512 region maps.
    /// </summary>
    public (float[] Features, float[] Maps) Extract(float[] pixels, int count)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length < count * EncoderInput.FloatsPerImage)
        {
            throw new ArgumentException("Too few pixels for the image count.", nameof(pixels));
        }

        var features = new float[count * EncoderIdentity.FeatureSize];
        var maps = new float[count * EncoderIdentity.MapSize];
        if (count == 0)
        {
            return (features, maps);
        }

        long[] inputShape = [count, 3, EncoderInput.Side, EncoderInput.Side];
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels.AsMemory(0, count * EncoderInput.FloatsPerImage), inputShape);
        using var prepared = _preprocess.Run(_runOptions, [_preprocessInput], [input], [_preprocessOutput]);
        using var output = OrtValue.CreateTensorValueFromMemory(features, [count, EncoderIdentity.FeatureSize, 1, 1]);
        using var mapOutput = OrtValue.CreateTensorValueFromMemory(maps, [count, EncoderIdentity.Regions, EncoderIdentity.FeatureSize]);
        _network.Run(_runOptions, [_networkInput], [prepared[0]], [_networkOutput, RegionMap], [output, mapOutput]);
        return (features, maps);
    }

    public void Dispose()
    {
        _preprocess.Dispose();
        _network.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>Adds the region map [N, 49, 512] as a second output: the last ReLU's [N, 512, 7, 7], reshaped and transposed.</summary>
    private static void AddRegionMapOutput(GraphProto graph)
    {
        var shape = new TensorProto { Name = RegionMap + "_shape", DataType = (int)TensorProto.Types.DataType.Int64 };
        shape.Dims.Add(3);
        shape.Int64Data.AddRange([0, EncoderIdentity.FeatureSize, EncoderIdentity.Regions]);
        graph.Initializer.Add(shape);
        var reshape = new NodeProto { OpType = "Reshape", Name = RegionMap + "_reshape" };
        reshape.Input.AddRange([ConvolutionMap, shape.Name]);
        reshape.Output.Add(RegionMap + "_channels");
        var transpose = new NodeProto { OpType = "Transpose", Name = RegionMap + "_transpose" };
        transpose.Input.Add(RegionMap + "_channels");
        transpose.Output.Add(RegionMap);
        transpose.Attribute.Add(new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0, 2, 1 } });
        graph.Node.AddRange([reshape, transpose]);
        var dims = new TensorShapeProto();
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = EncoderIdentity.Regions });
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = EncoderIdentity.FeatureSize });
        graph.Output.Add(new ValueInfoProto
        {
            Name = RegionMap,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = dims } },
        });
    }

    private static byte[] LoadWithDynamicBatch(string path, bool addRegionMap)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Encoder graph not found at {path}; it comes from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package.", path);
        }

        // Read the bytes first: OnnxSharp's ParseFromFile opens the file exclusively, which fails when two extractors start at once.
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        model.Graph.SetDim();
        if (addRegionMap)
        {
            AddRegionMapOutput(model.Graph);
        }

        return Google.Protobuf.MessageExtensions.ToByteArray(model);
    }
}
