using Captioner.Core.Features.Quantization;
using Onnx;

namespace Captioner.Core.Features;

/// <summary>
/// The encoder graphs as ONNX Runtime gets them: the packaged files, batch dimension made symbolic so a whole
/// batch runs in one call, the region map added as an output, and for int8 the network quantised at load.
/// </summary>
public static class EncoderGraphs
{
    public const string ModelFile = "ResNet18.onnx";
    public const string PreprocessFile = "ResNetPreprocess.onnx";

    public static byte[] Preprocess(string directory) => Serialize(WithDynamicBatch(ReadFile(Path.Combine(directory, PreprocessFile))));

    /// <summary>The network at <paramref name="precision"/>; int8 reads its ranges from <paramref name="calibrationFile"/>.</summary>
    public static byte[] Network(string directory, EncoderPrecision precision, string calibrationFile)
    {
        var bytes = ReadFile(Path.Combine(directory, ModelFile));
        var model = WithDynamicBatch(bytes);
        if (precision == EncoderPrecision.Int8)
        {
            var calibration = EncoderCalibration.Load(calibrationFile);
            calibration.EnsureMeasuredOn(bytes);
            Int8EncoderBuilder.Quantize(model, calibration.Ranges, keepFloat: [RegionMapOutput.ConvolutionMap]);
        }

        RegionMapOutput.Add(model.Graph);
        return Serialize(model);
    }

    /// <summary>The float network's file, unchanged: what a calibration table is measured on and names.</summary>
    public static byte[] ReadFile(string path) => File.Exists(path)
        ? File.ReadAllBytes(path) // Not OnnxSharp's ParseFromFile: it opens the file exclusively, which fails when two extractors start at once.
        : throw new FileNotFoundException($"Encoder graph not found at {path}; it comes from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package.", path);

    public static ModelProto WithDynamicBatch(byte[] bytes)
    {
        var model = ModelProto.Parser.ParseFrom(bytes);
        model.Graph.SetDim();
        return model;
    }

    public static byte[] Serialize(ModelProto model) => Google.Protobuf.MessageExtensions.ToByteArray(model);
}
