namespace Captioner.Core.Imaging;

/// <summary>
/// The raster formats the pipeline decodes, recognised by their leading bytes (never by a declared type or a file
/// name): an upload or an answer is one of these or it is refused. SVG, HTML and anything else with script is none.
/// </summary>
public static class ImageFormats
{
    public const string Accepted = "JPEG, PNG, WebP, GIF or BMP";

    /// <summary>Bytes needed to recognise every accepted format.</summary>
    public const int SignatureLength = 18;

    /// <summary>The content type of the format <paramref name="head"/> starts with, or null when it is none of the accepted ones.</summary>
    public static string? ContentType(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8) ? "image/gif"
        : head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : IsBitmap(head) ? "image/bmp"
        : null;

    // "BM" alone is two letters any text may start with: the DIB header's size must also be one of the defined ones.
    private static bool IsBitmap(ReadOnlySpan<byte> head) =>
        head.Length >= 18 && head.StartsWith("BM"u8)
        && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(head[14..18]) is 12 or 16 or 40 or 52 or 56 or 64 or 108 or 124;
}
