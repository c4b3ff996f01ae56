using System.Globalization;
using Captioner.Core.Features;
using Captioner.Core.Models;
using Captioner.Core.Vocabulary;
using Captioner.Core.Training;

namespace Captioner.Training.Export;

/// <summary>
/// Writes a trained decoder as a model folder: the two graphs, checked against TorchSharp on dev features
/// (refused over <see cref="TrainingRun.ParityTolerance"/>), the vocabulary and the manifest. Local
/// training and the training job's export activity both write through here.
/// </summary>
internal static class ModelFolderWriter
{
    private const int ParityImages = 16;

    public static ModelManifest Write(CaptionTrainer trainer, CaptionVocabulary vocabulary, TrainingOptions options, string directory, string version, TrainingRecord record, double devLoss)
    {
        Directory.CreateDirectory(directory);
        var decoder = trainer.Decoder;
        decoder.Export(directory);
        var inputs = trainer.DevInputs(ParityImages);
        var parity = decoder.ParityDifference(directory, inputs, inputs.Length / (decoder.UsesMap ? EncoderIdentity.MapSize : EncoderIdentity.FeatureSize));
        if (parity > TrainingRun.ParityTolerance)
        {
            throw new InvalidOperationException($"Exported graphs differ from the trained model by {parity:G3} (> {TrainingRun.ParityTolerance}).");
        }

        using (var stream = File.Create(Path.Combine(directory, ModelFiles.Vocabulary)))
        {
            vocabulary.Save(stream);
        }

        return ModelFiles.WriteManifest(directory, new ModelManifest
        {
            Version = version,
            CreatedAt = DateTimeOffset.UtcNow,
            Encoder = new EncoderSpec(EncoderIdentity.Name, EncoderIdentity.Preprocessing, EncoderIdentity.FeatureSize),
            Decoder = new DecoderSpec(vocabulary.Count, options.EmbeddingSize, options.HiddenSize, options.MaxWords)
            {
                Kind = decoder.Kind,
                AttentionSize = decoder.UsesMap ? options.AttentionSize : null,
            },
            Training = record with { Parameters = Describe(options) },
            Metrics = new Dictionary<string, double> { ["devLoss"] = Math.Round(devLoss, 4), ["parityMaxAbsDiff"] = parity },
        });
    }

    private static Dictionary<string, string> Describe(TrainingOptions options) =>
        typeof(TrainingOptions).GetProperties()
            .ToDictionary(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..], p => Convert.ToString(p.GetValue(options), CultureInfo.InvariantCulture) ?? string.Empty);
}
