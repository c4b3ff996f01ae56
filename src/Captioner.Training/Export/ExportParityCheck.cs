using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Training.Model;
using Microsoft.ML.OnnxRuntime;
using static Captioner.Training.Export.ExportedGraphs;
using static TorchSharp.torch;

namespace Captioner.Training.Export;

/// <summary>Runs the show-and-tell module and its exported graphs on the same features and reports the largest difference.</summary>
internal static class ExportParityCheck
{
    /// <summary>Largest absolute difference over h0, c0 and several steps of log-probabilities and state.</summary>
    public static double MaxDifference(ShowAndTellModule module, string directory, float[] features, int images, int steps = 4)
    {
        module.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var graphs = new ExportedGraphs(directory);

        var input = features.AsSpan(0, images * EncoderIdentity.FeatureSize).ToArray();
        var (torchH, torchC) = module.InitialState(tensor(input, [images, EncoderIdentity.FeatureSize]));
        using var featureValue = OrtValue.CreateTensorValueFromMemory(input, [images, EncoderIdentity.FeatureSize]);
        var init = graphs.RunInit([DecoderGraphs.Features], [featureValue], [DecoderGraphs.HiddenIn, DecoderGraphs.CellIn]);
        var (onnxH, onnxC) = (init[0], init[1]);
        var worst = Math.Max(Difference(torchH, onnxH), Difference(torchC, onnxC));

        var tokens = FirstTokens(images);
        for (var s = 0; s < steps; s++)
        {
            var (torchLogp, nextH, nextC) = module.Step(tensor(tokens), torchH, torchC);
            using var tokenValue = OrtValue.CreateTensorValueFromMemory(tokens, [images]);
            using var hValue = OrtValue.CreateTensorValueFromMemory(onnxH, [images, module.HiddenSize]);
            using var cValue = OrtValue.CreateTensorValueFromMemory(onnxC, [images, module.HiddenSize]);
            var step = graphs.RunStep([DecoderGraphs.Token, DecoderGraphs.HiddenIn, DecoderGraphs.CellIn], [tokenValue, hValue, cValue],
                [DecoderGraphs.LogProbabilities, DecoderGraphs.HiddenOut, DecoderGraphs.CellOut]);
            (onnxH, onnxC) = (step[1], step[2]);
            worst = Math.Max(worst, Math.Max(Difference(torchLogp, step[0]), Math.Max(Difference(nextH, onnxH), Difference(nextC, onnxC))));
            (torchH, torchC) = (nextH, nextC);
            tokens = [.. torchLogp.argmax(1).data<long>()];
        }

        return worst;
    }
}
