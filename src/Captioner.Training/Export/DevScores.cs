using Captioner.Evaluation.Data;
using Captioner.Core.Decoding;
using Captioner.Evaluation.Scoring;
using Captioner.Core.Models;
using Captioner.Training.Data;

namespace Captioner.Training.Export;

/// <summary>The dev scores recorded in a manifest: BLEU-1..4 and CIDEr-D of greedy and beam-3 captions through ONNX Runtime.</summary>
internal static class DevScores
{
    public static Dictionary<string, double> Compute(CaptioningModel model, ImageFeatureSet devFeatures, IReadOnlyList<CaptionedImage> dev)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, decoding) in new[] { ("greedy", DecodingOptions.Greedy), ("beam3", DecodingOptions.BeamSearch(3)) })
        {
            var scores = ModelEvaluator.Evaluate(model, devFeatures.InputFor(model.Manifest.Decoder.UsesMap), dev, decoding);
            metrics[$"{name}.bleu1"] = Math.Round(scores.Bleu1, 4);
            metrics[$"{name}.bleu2"] = Math.Round(scores.Bleu2, 4);
            metrics[$"{name}.bleu3"] = Math.Round(scores.Bleu3, 4);
            metrics[$"{name}.bleu4"] = Math.Round(scores.Bleu4, 4);
            metrics[$"{name}.cider"] = Math.Round(scores.CiderD, 4);
        }

        return metrics;
    }
}
