using System.Text.Json.Serialization;

namespace Captioner.Core.Models;

/// <summary>
/// <c>manifest.json</c> of a model folder: what the model is, what it needs, how it was trained, how
/// it scored, and the SHA-256 of every file so a damaged or mixed-up folder is refused.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The folder format this code reads and writes.</summary>
    public const int CurrentFormatVersion = 1;

    [JsonPropertyName("formatVersion")] public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The model version, e.g. <c>flickr8k-20261128-1</c>; results carry it.</summary>
    [JsonPropertyName("version")] public required string Version { get; init; }

    [JsonPropertyName("createdAt")] public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("encoder")] public required EncoderSpec Encoder { get; init; }

    [JsonPropertyName("decoder")] public required DecoderSpec Decoder { get; init; }

    [JsonPropertyName("training")] public TrainingRecord? Training { get; init; }

    /// <summary>Dev metrics by name, e.g. <c>devLoss</c>, <c>beam3.bleu4</c>, <c>beam3.cider</c>.</summary>
    [JsonPropertyName("metrics")] public Dictionary<string, double> Metrics { get; init; } = [];

    /// <summary>SHA-256 (lower-case hex) of every other file in the folder.</summary>
    [JsonPropertyName("files")] public Dictionary<string, string> Files { get; init; } = [];
}

/// <summary>The image encoder a model was trained on.</summary>
public sealed record EncoderSpec(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("preprocessing")] string Preprocessing,
    [property: JsonPropertyName("featureSize")] int FeatureSize);

/// <summary>
/// The decoder's kind and sizes. <see cref="Kind"/> is <see cref="DecoderKinds.ShowAndTell"/> (pooled
/// features in; manifests written before kinds existed have none and mean it) or
/// an attention kind, <see cref="DecoderKinds.SoftAttention"/> or <see cref="DecoderKinds.AdaptiveAttention"/>
/// (the region map in, with <see cref="AttentionSize"/>).
/// </summary>
public sealed record DecoderSpec(
    [property: JsonPropertyName("vocabularySize")] int VocabularySize,
    [property: JsonPropertyName("embeddingSize")] int EmbeddingSize,
    [property: JsonPropertyName("hiddenSize")] int HiddenSize,
    [property: JsonPropertyName("maxWords")] int MaxWords)
{
    private readonly string? _kind;

    /// <summary>The decoder kind; absent (manifests from before kinds) means show-and-tell.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get => string.IsNullOrEmpty(_kind) ? DecoderKinds.ShowAndTell : _kind; init => _kind = value; }

    /// <summary>Size of the attention projection (attention decoders only).</summary>
    [JsonPropertyName("attentionSize")] public int? AttentionSize { get; init; }

    /// <summary>True when the decoder reads the region map rather than the pooled features.</summary>
    [JsonIgnore] public bool UsesMap => DecoderKinds.ReadsMap(Kind);
}

/// <summary>How a model was trained, and on what.</summary>
public sealed record TrainingRecord
{
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }

    [JsonPropertyName("trainImages")] public int TrainImages { get; init; }

    [JsonPropertyName("trainCaptions")] public int TrainCaptions { get; init; }

    /// <summary>A teacher's captions of the training images trained on as extra targets (distillation); null when none.</summary>
    [JsonPropertyName("teacherCaptions")] public int? TeacherCaptions { get; init; }

    [JsonPropertyName("devImages")] public int DevImages { get; init; }

    /// <summary>The model version training started from (fine-tuning); null for a model trained from scratch.</summary>
    [JsonPropertyName("from")] public string? From { get; init; }

    /// <summary>The words fine-tuning added to the base's vocabulary, in id order; null for a model trained from scratch.</summary>
    [JsonPropertyName("newWords")] public IReadOnlyList<string>? NewWords { get; init; }

    [JsonPropertyName("epochs")] public int Epochs { get; init; }

    [JsonPropertyName("bestEpoch")] public int BestEpoch { get; init; }

    [JsonPropertyName("seconds")] public double Seconds { get; init; }

    /// <summary>Every training option, by name.</summary>
    [JsonPropertyName("parameters")] public Dictionary<string, string> Parameters { get; init; } = [];
}

[JsonSerializable(typeof(ModelManifest))]
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ManifestJson : JsonSerializerContext;
