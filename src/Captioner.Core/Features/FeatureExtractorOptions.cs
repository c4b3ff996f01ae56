namespace Captioner.Core.Features;

/// <summary>How the image encoder runs.</summary>
public sealed class FeatureExtractorOptions
{
    /// <summary>Folder holding <c>ResNet18.onnx</c> and <c>ResNetPreprocess.onnx</c>; defaults to <c>encoder/</c> beside the application.</summary>
    public string? EncoderDirectory { get; set; }

    /// <summary>Use CUDA when it is usable (default true).</summary>
    public bool PreferCuda { get; set; } = true;

    /// <summary>
    /// Refuse to run on the CPU (default false): where CUDA cannot be used the encoder throws <see cref="CudaRequiredException"/>
    /// naming the missing library or the driver. Set on GPU workload profiles, so a host there never serves on the CPU unnoticed.
    /// </summary>
    public bool RequireCuda { get; set; }

    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime decide.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// <c>auto</c> (default: int8 on the CPU, fp32 on CUDA), <c>fp32</c> or <c>int8</c>: int8 quantises the encoder at load
    /// for CPUs (fastest with AVX-512 VNNI); on CUDA the encoder stays float and <see cref="FeatureExtractor.ExecutionProvider"/>
    /// says so. Other values are refused.
    /// </summary>
    public string Precision { get; set; } = "auto";

    /// <summary>The int8 calibration table; defaults to <c>resnet18-int8.calibration.json</c> in the encoder folder.</summary>
    public string? CalibrationFile { get; set; }
}
