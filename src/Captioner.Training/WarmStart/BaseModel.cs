using System.Text.Json;
using Captioner.Core.Confidence;
using Captioner.Core.Models;
using Captioner.Core.Training;
using Captioner.Core.Vocabulary;
using Captioner.Evaluation.Data;

namespace Captioner.Training.WarmStart;

/// <summary>
/// A verified model folder that training starts from (<c>train --from</c>, a job's <c>"from"</c>): its manifest, its
/// vocabulary (which the new captions grow), its decoders' weights and the photos its familiarity compares with (the
/// fine-tuned model's reference is those plus the new training photos).
/// </summary>
internal sealed record BaseModel(ModelManifest Manifest, CaptionVocabulary Vocabulary, IReadOnlyList<BaseMember> Members, ConfidenceFile? Reference)
{
    /// <summary>Loads and verifies (hashes, kind, shapes) the folder at <paramref name="directory"/>.</summary>
    public static BaseModel Load(string directory)
    {
        ModelManifest manifest;
        CaptionVocabulary vocabulary;
        using (var model = CaptioningModel.LoadFolder(directory))
        {
            (manifest, vocabulary) = (model.Manifest, model.Vocabulary);
        }

        var confidence = Path.Combine(directory, ConfidenceFile.FileName);
        var reference = manifest.Files.ContainsKey(ConfidenceFile.FileName) ? ConfidenceFile.Deserialize(File.ReadAllBytes(confidence), directory) : null;
        return new BaseModel(manifest, vocabulary, BaseModelReader.Read(directory, manifest), reference);
    }

    /// <summary><paramref name="options"/> with member <paramref name="member"/>'s kind and sizes, which a warm start cannot change.</summary>
    public TrainingOptions OptionsFor(TrainingOptions options, int member)
    {
        ArgumentNullException.ThrowIfNull(options);
        var decoder = Members[member];
        var copy = JsonSerializer.Deserialize<TrainingOptions>(JsonSerializer.Serialize(options))!;
        copy.Decoder = decoder.Kind;
        copy.EmbeddingSize = decoder.EmbeddingSize;
        copy.HiddenSize = decoder.HiddenSize;
        copy.AttentionSize = decoder.AttentionSize > 0 ? decoder.AttentionSize : copy.AttentionSize;
        copy.MaxWords = Manifest.Decoder.MaxWords;
        return copy;
    }

    /// <summary>The familiarity reference of the fine-tuned model: the base's photos, then <paramref name="train"/>.</summary>
    public (float[] Pooled, IReadOnlyList<CaptionedImage> Images) ReferenceWith(ReadOnlySpan<float> trainPooled, IReadOnlyList<CaptionedImage> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (Reference is null)
        {
            return (trainPooled.ToArray(), train);
        }

        var pooled = TrainingNeighbours.Unpack(Reference);
        IReadOnlyList<CaptionedImage> images = [.. Reference.Captions.Select((captions, i) => new CaptionedImage($"{Manifest.Version}#{i}", captions)), .. train];
        return ([.. pooled, .. trainPooled], images);
    }

    /// <summary>A short identity for run keys: the version and the hashes of its graphs.</summary>
    public string Identity => $"{Manifest.Version}:{string.Join(',', Manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value[..12]))}";
}
