using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Captioner.Core.Features.Quantization;

/// <summary>
/// The int8 encoder's calibration table: for each activation the graph quantises, the range seen on training
/// images; plus which encoder graph (name and file hash) it was measured on, so it is never applied to another.
/// </summary>
public sealed record EncoderCalibration
{
    /// <summary>The file name the table ships under, beside the encoder graphs.</summary>
    public const string FileName = "resnet18-int8.calibration.json";

    [JsonPropertyName("encoder")] public required string Encoder { get; init; }

    /// <summary>SHA-256 (lowercase hex) of the float graph the ranges were measured on.</summary>
    [JsonPropertyName("encoderSha256")] public required string EncoderSha256 { get; init; }

    /// <summary>How each range was taken, e.g. <c>minmax</c> or <c>percentile 99.99</c>.</summary>
    [JsonPropertyName("method")] public required string Method { get; init; }

    /// <summary>How many images were measured.</summary>
    [JsonPropertyName("images")] public int Images { get; init; }

    /// <summary>Where the images came from, for the record.</summary>
    [JsonPropertyName("source")] public string? Source { get; init; }

    /// <summary>Activation tensor name (of the float graph) to its range.</summary>
    [JsonPropertyName("ranges")] public required Dictionary<string, ActivationRange> Ranges { get; init; }

    /// <summary>The activations of the float encoder graph a calibration measures (what the int8 graph reads ranges of).</summary>
    public static IReadOnlyList<string> TensorsOf(Onnx.GraphProto graph) => Int8EncoderBuilder.CalibratedTensors(graph);

    public static EncoderCalibration Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Int8 calibration table not found at {path}; regenerate it with 'captioner calibrate-encoder'.", path);
        }

        try
        {
            var calibration = JsonSerializer.Deserialize(File.ReadAllBytes(path), CalibrationJson.Default.EncoderCalibration)
                ?? throw new InvalidDataException($"Int8 calibration table {path} is empty.");
            return calibration.Ranges.Values.Any(r => !float.IsFinite(r.Min) || !float.IsFinite(r.Max) || r.Min > r.Max)
                ? throw new InvalidDataException($"Int8 calibration table {path} holds a range that is not finite or runs backwards.")
                : calibration;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Int8 calibration table {path} is not valid: {ex.Message}", ex);
        }
    }

    public void Save(string path) => File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(this, CalibrationJson.Default.EncoderCalibration));

    /// <summary>The hash recorded in <see cref="EncoderSha256"/> for a graph file's bytes.</summary>
    public static string HashOf(byte[] graph) => Convert.ToHexStringLower(SHA256.HashData(graph));

    /// <summary>Refuses a table measured on another encoder graph: its ranges would quantise the wrong activations.</summary>
    public void EnsureMeasuredOn(byte[] graph)
    {
        if (Encoder != EncoderIdentity.Name || !string.Equals(EncoderSha256, HashOf(graph), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"The int8 calibration table was measured on {Encoder} ({EncoderSha256}), not on this encoder ({EncoderIdentity.Name}, {HashOf(graph)}); regenerate it with 'captioner calibrate-encoder'.");
        }
    }
}

[JsonSerializable(typeof(EncoderCalibration))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class CalibrationJson : JsonSerializerContext;
