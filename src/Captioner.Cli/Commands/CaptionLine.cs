using System.Text.Json.Serialization;
using Captioner.Core.Pipeline;
using Captioner.Evaluation.Captioning;
using Captioner.Evaluation.Confidence;

namespace Captioner.Cli.Commands;

/// <summary>A <c>caption --json</c> line.</summary>
internal sealed record CaptionLine(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("caption")] string Caption,
    [property: JsonPropertyName("logprob")] double LogProbability,
    [property: JsonPropertyName("modelVersion")] string ModelVersion,
    [property: JsonPropertyName("nbest")] IReadOnlyList<NBestLine>? NBest)
{
    [JsonPropertyName("confidence")] public double? Confidence { get; init; }

    [JsonPropertyName("familiarity")] public double? Familiarity { get; init; }

    [JsonPropertyName("unfamiliar")] public bool? Unfamiliar { get; init; }

    [JsonPropertyName("unsure")] public bool? Unsure { get; init; }

    [JsonPropertyName("unsureBecause")] public string? UnsureBecause { get; init; }

    [JsonPropertyName("confidenceUnavailable")] public string? ConfidenceUnavailable { get; init; }

    public static CaptionLine From(CaptionOutcome outcome, string modelVersion, double unsureBelow)
    {
        var caption = outcome.Caption!;
        var nbest = caption.NBest.Count > 1 ? caption.NBest.Select(h => new NBestLine(h.Caption, h.LogProbability, h.Score)).ToList() : null;
        // The scores as a worker's result carries them: one rule for both.
        var scored = CaptionAssessments.Apply(
            new CaptionResult { Image = outcome.Image, Container = string.Empty, Status = CaptionResult.Succeeded, Caption = caption.Caption, ModelVersion = modelVersion },
            outcome.Assessment,
            new PipelineOptions { UnsureBelow = unsureBelow });
        return new CaptionLine(outcome.Image, caption.Caption, Math.Round(caption.LogProbability, 4), modelVersion, nbest)
        {
            Confidence = scored.Confidence,
            Familiarity = scored.Familiarity,
            Unfamiliar = scored.Unfamiliar,
            Unsure = scored.Unsure,
            UnsureBecause = scored.UnsureBecause,
            ConfidenceUnavailable = scored.ConfidenceUnavailable,
        };
    }
}

/// <summary>One of the n best captions.</summary>
internal sealed record NBestLine(
    [property: JsonPropertyName("caption")] string Caption,
    [property: JsonPropertyName("logprob")] double LogProbability,
    [property: JsonPropertyName("score")] double Score);

/// <summary>An <c>eval --json</c> object.</summary>
internal sealed record EvalLine(
    [property: JsonPropertyName("bleu1")] double Bleu1,
    [property: JsonPropertyName("bleu2")] double Bleu2,
    [property: JsonPropertyName("bleu3")] double Bleu3,
    [property: JsonPropertyName("bleu4")] double Bleu4,
    [property: JsonPropertyName("cider")] double Cider,
    [property: JsonPropertyName("images")] int Images)
{
    /// <summary>The confidence figures (models with confidence.json).</summary>
    [JsonPropertyName("confidence")] public ConfidenceReport? Confidence { get; init; }
}

[JsonSerializable(typeof(CaptionLine))]
[JsonSerializable(typeof(EvalLine))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class CliJson : JsonSerializerContext;
