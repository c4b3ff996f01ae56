using System.Runtime.InteropServices;
using System.Text;
using Captioner.Core.Features;

namespace Captioner.Training.Data;

/// <summary>
/// Encoder features of named images in one binary stream: a magic string, the encoder, the names, the
/// pooled features [count x 512] as float32, then the region maps [count x 49 x 512] as float16 (half
/// the bytes; the decoders' training is insensitive to that rounding). Used for the local feature cache
/// and for the feature shards of training jobs.
/// </summary>
internal static class FeatureFile
{
    private const string Magic = "CAPFEAT2";

    public static void Write(Stream stream, IReadOnlyList<string> names, ImageFeatureSet features)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(EncoderIdentity.Name);
        writer.Write(names.Count);
        foreach (var name in names)
        {
            writer.Write(name);
        }

        writer.Write(MemoryMarshal.AsBytes(features.Pooled.AsSpan()));
        var halves = new Half[features.Maps.Length];
        for (var i = 0; i < halves.Length; i++)
        {
            halves[i] = (Half)features.Maps[i];
        }

        writer.Write(MemoryMarshal.AsBytes(halves.AsSpan()));
    }

    /// <summary>The names and features in <paramref name="stream"/>, or null when it was written by another encoder or format.</summary>
    public static (string[] Names, ImageFeatureSet Features)? Read(Stream stream)
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

        var pooled = new float[names.Length * EncoderIdentity.FeatureSize];
        stream.ReadExactly(MemoryMarshal.AsBytes(pooled.AsSpan()));
        var halves = new Half[names.Length * EncoderIdentity.MapSize];
        stream.ReadExactly(MemoryMarshal.AsBytes(halves.AsSpan()));
        var maps = new float[halves.Length];
        for (var i = 0; i < maps.Length; i++)
        {
            maps[i] = (float)halves[i];
        }

        return (names, new ImageFeatureSet(pooled, maps));
    }
}
