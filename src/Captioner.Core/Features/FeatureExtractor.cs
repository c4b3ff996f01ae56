using Captioner.Core.Features.Quantization;
using Captioner.Core.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace Captioner.Core.Features;

/// <summary>
/// The pretrained ResNet18 encoder on ONNX Runtime: planar RGB images in; out of one pass, 512 pooled
/// features and the [49 x 512] map of the last convolution block (ReLU393, 7x7, made region-major in
/// the graph) for attention decoders. The packaged graphs are fixed at batch 1; their batch dimension
/// is made symbolic at load so a whole batch runs in one call. At int8 precision (CPU only) the network is
/// quantised at load from the float graph and the calibration table (see <see cref="EncoderGraphs"/>).
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
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
        var precision = EncoderPrecisions.Parse(options.Precision);
        var directory = options.EncoderDirectory ?? Path.Combine(AppContext.BaseDirectory, "encoder");
        using var sessionOptions = ExecutionProviderChoice.Create(options.PreferCuda, options.RequireCuda, options.IntraOpThreads, out var provider);
        UsesCuda = provider == "CUDA";
        (Precision, ExecutionProvider) = Settle(precision, provider);

        // Both graphs first: a missing file or calibration table fails before any session holds native memory.
        var preprocess = EncoderGraphs.Preprocess(directory);
        var network = EncoderGraphs.Network(directory, Precision, options.CalibrationFile ?? Path.Combine(directory, EncoderCalibration.FileName));
        _preprocess = new InferenceSession(preprocess, sessionOptions);
        _network = new InferenceSession(network, sessionOptions);
        _preprocessInput = _preprocess.InputNames[0];
        _preprocessOutput = _preprocess.OutputNames[0];
        _networkInput = _network.InputNames[0];
        _networkOutput = _network.OutputNames[0];
    }

    /// <summary>The execution provider in use (and int8 when quantised), for logs.</summary>
    public string ExecutionProvider { get; }

    /// <summary>True when the network runs on CUDA.</summary>
    public bool UsesCuda { get; }

    /// <summary>The precision the network runs at: int8 only on the CPU (asked for, or by default).</summary>
    public EncoderPrecision Precision { get; }

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
        _network.Run(_runOptions, [_networkInput], [prepared[0]], [_networkOutput, RegionMapOutput.Name], [output, mapOutput]);
        return (features, maps);
    }

    /// <summary>
    /// The precision that runs on <paramref name="provider"/> and the provider line for logs: int8 on the CPU; on CUDA
    /// fp32, saying why, since ONNX Runtime's QLinearConv and QLinearAdd are CPU kernels and would bounce between devices.
    /// </summary>
    internal static (EncoderPrecision Precision, string Provider) Settle(EncoderPrecision asked, string provider) =>
        (asked, provider) switch
        {
            (EncoderPrecision.Int8, "CUDA") => (EncoderPrecision.Fp32, "CUDA (int8 asked for; fp32 kept: ONNX Runtime's int8 convolutions run on the CPU only)"),
            (EncoderPrecision.Auto, "CUDA") => (EncoderPrecision.Fp32, provider),
            (EncoderPrecision.Int8 or EncoderPrecision.Auto, _) => (EncoderPrecision.Int8, provider + ", int8"),
            _ => (asked, provider),
        };

    public void Dispose()
    {
        _preprocess.Dispose();
        _network.Dispose();
        _runOptions.Dispose();
    }
}
