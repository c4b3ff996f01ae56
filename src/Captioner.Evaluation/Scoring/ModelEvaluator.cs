using Captioner.Evaluation.Data;
using Captioner.Core.Decoding;
using Captioner.Core.Models;

namespace Captioner.Evaluation.Scoring;

/// <summary>Captions a split's features with a model and scores them against the references.</summary>
public static class ModelEvaluator
{
    /// <summary>Scores <paramref name="model"/> on <paramref name="images"/> whose features lie back to back in <paramref name="features"/>.</summary>
    public static CaptionScores Evaluate(CaptioningModel model, float[] features, IReadOnlyList<CaptionedImage> images, DecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        var captions = model.Decoder.Decode(features, images.Count, options);
        return CaptionScores.Compute([.. captions.Select(c => c.Caption)], [.. images.Select(i => i.Captions)]);
    }
}
