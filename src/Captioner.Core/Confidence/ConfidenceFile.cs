using System.Text.Json;
using System.Text.Json.Serialization;
using Captioner.Core.Models;

namespace Captioner.Core.Confidence;

/// <summary>
/// <c>confidence.json</c> of a model folder (optional; listed and hashed in the manifest like every file): what the
/// model learned from, as the familiarity score and the consensus signal need it (the training photos' pooled features,
/// 8-bit with one scale per feature, and their captions), the dev split's familiarity threshold, and the calibration
/// that turns a caption's signals into the probability that it is acceptable. A model without it still loads and
/// captions; its results say the scores are unavailable.
/// </summary>
public sealed record ConfidenceFile
{
    public const string FileName = "confidence.json";
    public const int CurrentFormatVersion = 1;

    [JsonPropertyName("formatVersion")] public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Training photos compared with each new photo (the nearest of them, by cosine of the pooled features).</summary>
    [JsonPropertyName("neighbours")] public int Neighbours { get; init; } = 25;

    /// <summary>Per feature: the value a stored 255 stands for (pooled features are non-negative).</summary>
    [JsonPropertyName("featureScales")] public required float[] FeatureScales { get; init; }

    /// <summary>The training photos' pooled features, 8-bit, photo after photo, base64.</summary>
    [JsonPropertyName("features")] public required string Features { get; init; }

    /// <summary>Each training photo's captions, lower-case words joined by spaces.</summary>
    [JsonPropertyName("captions")] public required IReadOnlyList<IReadOnlyList<string>> Captions { get; init; }

    /// <summary>Familiarity below this is flagged unfamiliar: the 5th percentile of the dev split's.</summary>
    [JsonPropertyName("unfamiliarBelow")] public double UnfamiliarBelow { get; init; }

    /// <summary>What the reference set and threshold were fit on, in words.</summary>
    [JsonPropertyName("fittedOn")] public string FittedOn { get; init; } = string.Empty;

    /// <summary>The caption confidence's calibration; null when the model was never calibrated (confidence unavailable).</summary>
    [JsonPropertyName("calibration")] public ConfidenceCalibration? Calibration { get; init; }

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, ConfidenceJson.Default.ConfidenceFile);

    /// <summary>Parses the file; a malformed or inconsistent one is a <see cref="ModelLoadException"/>.</summary>
    public static ConfidenceFile Deserialize(ReadOnlySpan<byte> json, string source)
    {
        ConfidenceFile file;
        try
        {
            file = JsonSerializer.Deserialize(json, ConfidenceJson.Default.ConfidenceFile) ?? throw new ModelLoadException($"{source}: {FileName} is empty.");
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"{source}: {FileName} is not valid: {ex.Message}", ex);
        }

        if (file.FormatVersion != CurrentFormatVersion)
        {
            throw new ModelLoadException($"{source}: {FileName} format version {file.FormatVersion} is not supported (this build reads {CurrentFormatVersion}).");
        }

        return file;
    }
}

/// <summary>
/// A logistic model over a caption's signals, fit on the dev split: <c>P(acceptable) = 1 / (1 + exp(-(bias + sum of
/// weight x (signal - mean) / scale)))</c>, where acceptable is <see cref="Definition"/>.
/// </summary>
public sealed record ConfidenceCalibration
{
    /// <summary>The signals in order (<see cref="CaptionSignals"/> names).</summary>
    [JsonPropertyName("signals")] public required IReadOnlyList<string> Signals { get; init; }

    [JsonPropertyName("means")] public required double[] Means { get; init; }

    [JsonPropertyName("scales")] public required double[] Scales { get; init; }

    [JsonPropertyName("weights")] public required double[] Weights { get; init; }

    [JsonPropertyName("bias")] public double Bias { get; init; }

    /// <summary>What "acceptable" means, in words (e.g. per-image CIDEr-D at least 0.5 on the dev split, beam 3).</summary>
    [JsonPropertyName("definition")] public required string Definition { get; init; }

    /// <summary>The per-image CIDEr-D at or above which a caption counted as acceptable.</summary>
    [JsonPropertyName("acceptableCider")] public double AcceptableCider { get; init; }

    /// <summary>Dev images it was fit on, and the share of them acceptable.</summary>
    [JsonPropertyName("images")] public int Images { get; init; }

    [JsonPropertyName("acceptableShare")] public double AcceptableShare { get; init; }

    /// <summary>The probability that a caption with these signals is acceptable.</summary>
    public double Probability(ReadOnlySpan<double> signals)
    {
        var z = Bias;
        for (var i = 0; i < Weights.Length; i++)
        {
            z += Weights[i] * (signals[i] - Means[i]) / Scales[i];
        }

        return 1 / (1 + Math.Exp(-z));
    }
}

[JsonSerializable(typeof(ConfidenceFile))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ConfidenceJson : JsonSerializerContext;
