namespace Captioner.Core.Features;

/// <summary>How the image encoder runs.</summary>
public sealed class FeatureExtractorOptions
{
    /// <summary>Folder holding <c>ResNet18.onnx</c> and <c>ResNetPreprocess.onnx</c>; defaults to <c>encoder/</c> beside the application.</summary>
    public string? EncoderDirectory { get; set; }

    /// <summary>Use CUDA when it is usable (default true).</summary>
    public bool PreferCuda { get; set; } = true;

    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime decide.</summary>
    public int IntraOpThreads { get; set; }
}
