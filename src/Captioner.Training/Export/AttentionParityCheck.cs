using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Training.Model;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Captioner.Training.Export;

/// <summary>Runs the soft-attention module and its exported graphs on the same maps and reports the largest difference.</summary>
internal static class AttentionParityCheck
{
    /// <summary>Largest absolute difference over h0, c0, the projected map and several steps of log-probabilities, state and attention weights.</summary>
    public static double MaxDifference(SoftAttentionModule module, string directory, float[] maps, int images, int steps = 4)
    {
        module.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var init = new InferenceSession(Path.Combine(directory, DecoderGraphs.InitFile));
        using var step = new InferenceSession(Path.Combine(directory, DecoderGraphs.StepFile));
        using var runOptions = new RunOptions();

        var input = maps.AsSpan(0, images * EncoderIdentity.MapSize).ToArray();
        long[] mapShape = [images, EncoderIdentity.Regions, EncoderIdentity.FeatureSize];
        var context = module.Prepare(tensor(input, mapShape));
        var (torchH, torchC) = (context.Hidden, context.Cell);
        using var mapValue = OrtValue.CreateTensorValueFromMemory(input, mapShape);
        using var initOut = init.Run(runOptions, [DecoderGraphs.Map], [mapValue], [DecoderGraphs.HiddenIn, DecoderGraphs.CellIn, DecoderGraphs.ProjectedMap]);
        var onnxH = initOut[0].GetTensorDataAsSpan<float>().ToArray();
        var onnxC = initOut[1].GetTensorDataAsSpan<float>().ToArray();
        var projected = initOut[2].GetTensorDataAsSpan<float>().ToArray();
        var worst = Math.Max(Math.Max(ExportParityCheck.Difference(torchH, onnxH), ExportParityCheck.Difference(torchC, onnxC)), ExportParityCheck.Difference(context.Projection, projected));

        using var projectedValue = OrtValue.CreateTensorValueFromMemory(projected, [images, EncoderIdentity.Regions, module.AttentionSize]);
        var tokens = Enumerable.Range(0, images).Select(i => (long)(2 + (i % 7))).ToArray();
        for (var s = 0; s < steps; s++)
        {
            var (logits, nextH, nextC, attention) = module.Step(tensor(tokens), torchH, torchC, context.Map, context.Projection);
            var torchLogp = nn.functional.log_softmax(logits, 1);
            using var tokenValue = OrtValue.CreateTensorValueFromMemory(tokens, [images]);
            using var hValue = OrtValue.CreateTensorValueFromMemory(onnxH, [images, module.HiddenSize]);
            using var cValue = OrtValue.CreateTensorValueFromMemory(onnxC, [images, module.HiddenSize]);
            using var stepOut = step.Run(
                runOptions,
                [DecoderGraphs.Token, DecoderGraphs.HiddenIn, DecoderGraphs.CellIn, DecoderGraphs.Map, DecoderGraphs.ProjectedMap],
                [tokenValue, hValue, cValue, mapValue, projectedValue],
                [DecoderGraphs.LogProbabilities, DecoderGraphs.HiddenOut, DecoderGraphs.CellOut, DecoderGraphs.Attention]);
            worst = Math.Max(worst, ExportParityCheck.Difference(torchLogp, stepOut[0].GetTensorDataAsSpan<float>().ToArray()));
            onnxH = stepOut[1].GetTensorDataAsSpan<float>().ToArray();
            onnxC = stepOut[2].GetTensorDataAsSpan<float>().ToArray();
            worst = Math.Max(worst, Math.Max(ExportParityCheck.Difference(nextH, onnxH), ExportParityCheck.Difference(nextC, onnxC)));
            worst = Math.Max(worst, ExportParityCheck.Difference(attention, stepOut[3].GetTensorDataAsSpan<float>().ToArray()));
            (torchH, torchC) = (nextH, nextC);
            tokens = [.. torchLogp.argmax(1).data<long>()];
        }

        return worst;
    }
}
