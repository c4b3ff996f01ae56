using Captioner.Core.Features;
using Captioner.Core.Models;
using Captioner.Evaluation.Captioning;
using Captioner.Evaluation.Confidence;
using Captioner.Evaluation.Data;

namespace Captioner.Training.Export;

/// <summary>The ensemble's confidence.json: its members' shared reference, calibrated on held-out images when they are given.</summary>
public static class EnsembleConfidence
{
    /// <summary>Writes the file into <paramref name="output"/> when the members share a reference; returns the line to print.</summary>
    public static string Write(IReadOnlyList<string> members, string output, string? images, string? captions, string? split)
    {
        var given = new[] { images, captions, split }.Count(value => value is not null);
        if (given is not (0 or 3))
        {
            throw new ArgumentException("--dev-images, --dev-captions and --dev-split go together.");
        }

        if (ConfidenceFitter.SharedReference(members) is not { } reference)
        {
            return "no confidence.json: the members carry none, or not the same one (fit one with calibrate-confidence)";
        }

        if (given == 0)
        {
            ConfidenceFitter.Write(output, reference);
            return "confidence.json: the members' familiarity; confidence not calibrated (give --dev-images, --dev-captions and --dev-split, or run calibrate-confidence)";
        }

        var dev = SplitFile.Select(CaptionFiles.ReadFile(captions!), SplitFile.Read(split!), "dev");
        ServedFeatures features;
        using (var extractor = new FeatureExtractor())
        {
            features = ServedFeatures.Extract(extractor, [.. dev.Select(i => Path.Combine(images!, i.ImageFile))], keepMaps: true);
        }

        Core.Confidence.ConfidenceFile calibrated;
        using (var model = CaptioningModel.LoadFolder(output))
        {
            calibrated = ConfidenceFitter.Calibrate(reference, model, model.Decoder.UsesMap ? features.Maps! : features.Pooled, features.Pooled, dev);
        }

        ConfidenceFitter.Write(output, calibrated);
        return $"confidence.json: the members' familiarity, confidence calibrated on {dev.Count} held-out images";
    }
}
