using System.Runtime.InteropServices;
using System.Text;
using Captioner.Core.Features;

namespace Captioner.Training.Data;

/// <summary>
/// Encoder features of named images in one binary stream: a magic string, the encoder, the names, then
/// [count x 512] floats. Used for the local feature cache and for the feature shards of training jobs.
/// </summary>
internal static class FeatureFile
{
    private const string Magic = "CAPFEAT1";

    public static void Write(Stream stream, IReadOnlyList<string> names, ReadOnlySpan<float> features)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(EncoderIdentity.Name);
        writer.Write(names.Count);
        foreach (var name in names)
        {
            writer.Write(name);
        }

        writer.Write(MemoryMarshal.AsBytes(features));
    }

    /// <summary>The names and features in <paramref name="stream"/>, or null when it was written by another encoder or format.</summary>
    public static (string[] Names, float[] Features)? Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadString() != Magic || reader.ReadString() != EncoderIdentity.Name)
        {
            return null;
        }

        var names = new string[reader.ReadInt32()];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.ReadString();
        }

        var features = new float[names.Length * EncoderIdentity.FeatureSize];
        stream.ReadExactly(MemoryMarshal.AsBytes(features.AsSpan()));
        return (names, features);
    }
}
