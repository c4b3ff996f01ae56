namespace Captioner.Core.Features;

/// <summary>
/// Models are trained, evaluated during training and exported on float encoder features: the reference the
/// int8 encoder is calibrated and measured against, identical on CPU and CUDA.
/// </summary>
public static class TrainingFeatures
{
    /// <summary>The encoder precision training extracts its features at.</summary>
    public const string Precision = "fp32";
}
