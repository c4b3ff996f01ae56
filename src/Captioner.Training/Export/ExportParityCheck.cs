using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Training.Model;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Captioner.Training.Export;

/// <summary>Runs TorchSharp and the exported ONNX graphs on the same inputs and reports the largest difference.</summary>
internal static class ExportParityCheck
{
    /// <summary>Largest absolute difference over h0, c0 and several steps of log-probabilities and state.</summary>
    public static double MaxDifference(ShowAndTellModule module, string directory, float[] features, int images, int steps = 4)
    {
        module.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var init = new InferenceSession(Path.Combine(directory, DecoderGraphs.InitFile));
        using var step = new InferenceSession(Path.Combine(directory, DecoderGraphs.StepFile));
        using var runOptions = new RunOptions();

        var featureTensor = tensor(features.AsSpan(0, images * EncoderIdentity.FeatureSize).ToArray(), [images, EncoderIdentity.FeatureSize]);
        var (torchH, torchC) = module.InitialState(featureTensor);
        using var featureValue = OrtValue.CreateTensorValueFromMemory(features.AsSpan(0, images * EncoderIdentity.FeatureSize).ToArray(), [images, EncoderIdentity.FeatureSize]);
        using var initOut = init.Run(runOptions, [DecoderGraphs.Features], [featureValue], [DecoderGraphs.HiddenIn, DecoderGraphs.CellIn]);
        var onnxH = initOut[0].GetTensorDataAsSpan<float>().ToArray();
        var onnxC = initOut[1].GetTensorDataAsSpan<float>().ToArray();
        var worst = Math.Max(Difference(torchH, onnxH), Difference(torchC, onnxC));

        var tokens = Enumerable.Range(0, images).Select(i => (long)(2 + (i % 7))).ToArray();
        for (var s = 0; s < steps; s++)
        {
            var (torchLogp, nextH, nextC) = module.Step(tensor(tokens), torchH, torchC);
            using var tokenValue = OrtValue.CreateTensorValueFromMemory(tokens, [images]);
            using var hValue = OrtValue.CreateTensorValueFromMemory(onnxH, [images, module.HiddenSize]);
            using var cValue = OrtValue.CreateTensorValueFromMemory(onnxC, [images, module.HiddenSize]);
            using var stepOut = step.Run(runOptions, [DecoderGraphs.Token, DecoderGraphs.HiddenIn, DecoderGraphs.CellIn], [tokenValue, hValue, cValue],
                [DecoderGraphs.LogProbabilities, DecoderGraphs.HiddenOut, DecoderGraphs.CellOut]);
            worst = Math.Max(worst, Difference(torchLogp, stepOut[0].GetTensorDataAsSpan<float>().ToArray()));
            onnxH = stepOut[1].GetTensorDataAsSpan<float>().ToArray();
            onnxC = stepOut[2].GetTensorDataAsSpan<float>().ToArray();
            worst = Math.Max(worst, Math.Max(Difference(nextH, onnxH), Difference(nextC, onnxC)));
            (torchH, torchC) = (nextH, nextC);
            tokens = [.. torchLogp.argmax(1).data<long>()];
        }

        return worst;
    }

    internal static double Difference(Tensor expected, float[] actual)
    {
        var values = expected.contiguous().data<float>();
        double worst = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(values[i] - actual[i]));
        }

        return worst;
    }
}
