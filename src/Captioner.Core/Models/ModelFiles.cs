using System.Security.Cryptography;
using System.Text.Json;
using Captioner.Core.Decoding;

namespace Captioner.Core.Models;

/// <summary>The files of a model folder and how they are hashed and described.</summary>
public static class ModelFiles
{
    public const string Manifest = "manifest.json";
    public const string Vocabulary = "vocab.json";

    /// <summary>Files every model folder has besides the manifest.</summary>
    public static IReadOnlyList<string> Required { get; } = [Vocabulary, DecoderGraphs.InitFile, DecoderGraphs.StepFile];

    /// <summary>Files a model folder may have: when present they are listed and hashed in the manifest like the others.</summary>
    public static IReadOnlyList<string> Optional { get; } = [Confidence.ConfidenceFile.FileName];

    /// <summary>Every file a model folder can hold besides the manifest.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Required, .. Optional];

    /// <summary>Lower-case hex SHA-256 of <paramref name="data"/>.</summary>
    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Serialises a manifest.</summary>
    public static byte[] Serialize(ModelManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson.Default.ModelManifest);

    /// <summary>Parses a manifest; a malformed one is a <see cref="ModelLoadException"/>.</summary>
    public static ModelManifest Deserialize(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ManifestJson.Default.ModelManifest)
                ?? throw new ModelLoadException("manifest.json is empty.");
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"manifest.json is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>Writes <paramref name="manifest"/> into <paramref name="directory"/> with the hashes of the required files, and of the optional ones present, filled in.</summary>
    public static ModelManifest WriteManifest(string directory, ModelManifest manifest)
    {
        var files = Required.Concat(Optional.Where(name => File.Exists(Path.Combine(directory, name))))
            .ToDictionary(name => name, name => Sha256(File.ReadAllBytes(Path.Combine(directory, name))), StringComparer.Ordinal);
        var complete = manifest with { Files = files };
        File.WriteAllBytes(Path.Combine(directory, Manifest), Serialize(complete));
        return complete;
    }
}
