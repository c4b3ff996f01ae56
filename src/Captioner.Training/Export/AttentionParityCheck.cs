using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Training.Model;
using Microsoft.ML.OnnxRuntime;
using static Captioner.Training.Export.ExportedGraphs;
using static TorchSharp.torch;

namespace Captioner.Training.Export;

/// <summary>Runs an attention network and its exported graphs on the same maps and reports the largest difference.</summary>
internal static class AttentionParityCheck
{
    /// <summary>Largest absolute difference over h0, c0, the projected map and several steps of log-probabilities, state and attention weights.</summary>
    public static double MaxDifference(IAttentionNetwork module, string directory, float[] maps, int images, int steps = 4)
    {
        module.Module.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var graphs = new ExportedGraphs(directory);

        var input = maps.AsSpan(0, images * EncoderIdentity.MapSize).ToArray();
        long[] mapShape = [images, EncoderIdentity.Regions, EncoderIdentity.FeatureSize];
        var context = module.Prepare(tensor(input, mapShape));
        var (torchH, torchC) = (context.Hidden, context.Cell);
        using var mapValue = OrtValue.CreateTensorValueFromMemory(input, mapShape);
        var init = graphs.RunInit([DecoderGraphs.Map], [mapValue], [DecoderGraphs.HiddenIn, DecoderGraphs.CellIn, DecoderGraphs.ProjectedMap]);
        var (onnxH, onnxC, projected) = (init[0], init[1], init[2]);
        var worst = Math.Max(Math.Max(Difference(torchH, onnxH), Difference(torchC, onnxC)), Difference(context.Projection, projected));

        using var projectedValue = OrtValue.CreateTensorValueFromMemory(projected, [images, EncoderIdentity.Regions, module.AttentionSize]);
        var tokens = FirstTokens(images);
        for (var s = 0; s < steps; s++)
        {
            var (logits, nextH, nextC, attention) = module.Step(tensor(tokens), torchH, torchC, context.Map, context.Projection);
            var torchLogp = nn.functional.log_softmax(logits, 1);
            using var tokenValue = OrtValue.CreateTensorValueFromMemory(tokens, [images]);
            using var hValue = OrtValue.CreateTensorValueFromMemory(onnxH, [images, module.HiddenSize]);
            using var cValue = OrtValue.CreateTensorValueFromMemory(onnxC, [images, module.HiddenSize]);
            var step = graphs.RunStep(
                [DecoderGraphs.Token, DecoderGraphs.HiddenIn, DecoderGraphs.CellIn, DecoderGraphs.Map, DecoderGraphs.ProjectedMap],
                [tokenValue, hValue, cValue, mapValue, projectedValue],
                [DecoderGraphs.LogProbabilities, DecoderGraphs.HiddenOut, DecoderGraphs.CellOut, DecoderGraphs.Attention]);
            (onnxH, onnxC) = (step[1], step[2]);
            worst = Math.Max(worst, Math.Max(Difference(torchLogp, step[0]), Difference(attention, step[3])));
            worst = Math.Max(worst, Math.Max(Difference(nextH, onnxH), Difference(nextC, onnxC)));
            (torchH, torchC) = (nextH, nextC);
            tokens = [.. torchLogp.argmax(1).data<long>()];
        }

        return worst;
    }
}
