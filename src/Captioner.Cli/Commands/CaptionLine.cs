using System.Text.Json.Serialization;
using Captioner.Evaluation.Captioning;

namespace Captioner.Cli.Commands;

/// <summary>A <c>caption --json</c> line.</summary>
internal sealed record CaptionLine(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("caption")] string Caption,
    [property: JsonPropertyName("logprob")] double LogProbability,
    [property: JsonPropertyName("modelVersion")] string ModelVersion,
    [property: JsonPropertyName("nbest")] IReadOnlyList<NBestLine>? NBest)
{
    public static CaptionLine From(CaptionOutcome outcome, string modelVersion)
    {
        var caption = outcome.Caption!;
        var nbest = caption.NBest.Count > 1 ? caption.NBest.Select(h => new NBestLine(h.Caption, h.LogProbability, h.Score)).ToList() : null;
        return new CaptionLine(outcome.Image, caption.Caption, Math.Round(caption.LogProbability, 4), modelVersion, nbest);
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
    [property: JsonPropertyName("images")] int Images);

[JsonSerializable(typeof(CaptionLine))]
[JsonSerializable(typeof(EvalLine))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class CliJson : JsonSerializerContext;
