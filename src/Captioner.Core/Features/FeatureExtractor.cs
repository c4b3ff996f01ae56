using Microsoft.ML.OnnxRuntime;
using Onnx;
using Captioner.Core.Imaging;

namespace Captioner.Core.Features;

/// <summary>
/// The pretrained ResNet18 encoder on ONNX Runtime: planar RGB images in, 512 pooled features each out.
/// The packaged graphs are fixed at batch 1; their batch dimension is made symbolic at load so a
/// whole batch runs in one call.
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
    private const string ModelFile = "ResNet18.onnx";
    private const string PreprocessFile = "ResNetPreprocess.onnx";

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
        _preprocess = new InferenceSession(LoadWithDynamicBatch(Path.Combine(directory, PreprocessFile)), sessionOptions);
        _network = new InferenceSession(LoadWithDynamicBatch(Path.Combine(directory, ModelFile)), sessionOptions);
        _preprocessInput = _preprocess.InputNames[0];
        _preprocessOutput = _preprocess.OutputNames[0];
        _networkInput = _network.InputNames[0];
        _networkOutput = _network.OutputNames[0];
    }

    /// <summary>The execution provider in use, for logs.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Encodes <paramref name="count"/> images laid out back to back in <paramref name="pixels"/>; returns count x 512 features.</summary>
    public float[] Extract(float[] pixels, int count)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length < count * EncoderInput.FloatsPerImage)
        {
            throw new ArgumentException("Too few pixels for the image count.", nameof(pixels));
        }

        var features = new float[count * EncoderIdentity.FeatureSize];
        if (count == 0)
        {
            return features;
        }

        long[] inputShape = [count, 3, EncoderInput.Side, EncoderInput.Side];
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels.AsMemory(0, count * EncoderInput.FloatsPerImage), inputShape);
        using var prepared = _preprocess.Run(_runOptions, [_preprocessInput], [input], [_preprocessOutput]);
        using var output = OrtValue.CreateTensorValueFromMemory(features, [count, EncoderIdentity.FeatureSize, 1, 1]);
        _network.Run(_runOptions, [_networkInput], [prepared[0]], [_networkOutput], [output]);
        return features;
    }

    public void Dispose()
    {
        _preprocess.Dispose();
        _network.Dispose();
        _runOptions.Dispose();
    }

    private static byte[] LoadWithDynamicBatch(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Encoder graph not found at {path}; it comes from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package.", path);
        }

        // Read the bytes first: OnnxSharp's ParseFromFile opens the file exclusively, which fails when two extractors start at once.
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        model.Graph.SetDim();
        return Google.Protobuf.MessageExtensions.ToByteArray(model);
    }
}
