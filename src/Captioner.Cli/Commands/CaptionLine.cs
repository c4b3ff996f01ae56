using System.Text.Json.Serialization;
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
        var line = new CaptionLine(outcome.Image, caption.Caption, Math.Round(caption.LogProbability, 4), modelVersion, nbest);
        if (outcome.Assessment is not { } assessment)
        {
            return line with { ConfidenceUnavailable = $"model {modelVersion} carries no confidence.json: no familiarity or confidence" };
        }

        var because = assessment.UnsureBecause(unsureBelow);
        return line with
        {
            Confidence = assessment.Confidence is { } confidence ? Math.Round(confidence, 3) : null,
            Familiarity = Math.Round(assessment.Familiarity, 4),
            Unfamiliar = assessment.Unfamiliar,
            Unsure = because is not null,
            UnsureBecause = because,
            ConfidenceUnavailable = assessment.Confidence is null ? $"model {modelVersion} is not calibrated: familiarity only" : null,
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
