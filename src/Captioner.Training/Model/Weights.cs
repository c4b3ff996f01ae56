using static TorchSharp.torch;

namespace Captioner.Training.Model;

/// <summary>A tensor's values for export, row-major (what every module's ExportWeights reads).</summary>
internal static class Weights
{
    public static float[] Of(Tensor tensor) => tensor.contiguous().cpu().data<float>().ToArray();
}
