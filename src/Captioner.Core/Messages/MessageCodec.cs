using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Captioner.Core.Features;

namespace Captioner.Core.Messages;

/// <summary>Writes and reads the versioned queue contracts, and packs features as float16.</summary>
public static class MessageCodec
{
    public static string Serialize(FeaturesMessage message) => JsonSerializer.Serialize(message, MessageJson.Default.FeaturesMessage);

    public static string Serialize(CaptionRequestMessage message) => JsonSerializer.Serialize(message, MessageJson.Default.CaptionRequestMessage);

    public static string Serialize(BulkRequestMessage message) => JsonSerializer.Serialize(message, MessageJson.Default.BulkRequestMessage);

    public static FeaturesMessage ParseFeatures(string text) =>
        Parse(text, MessageJson.Default.FeaturesMessage, FeaturesMessage.OldestVersion, FeaturesMessage.CurrentVersion, "features", m => m.Image is not null && m.Features is not null && m.Encoder is not null && (m.Version < 2 || m.Map is not null));

    public static CaptionRequestMessage ParseCaptionRequest(string text) =>
        Parse(text, MessageJson.Default.CaptionRequestMessage, CaptionRequestMessage.CurrentVersion, CaptionRequestMessage.CurrentVersion, "caption-requests", m => m.BulkId is not null && m.Images is not null);

    public static BulkRequestMessage ParseBulkRequest(string text) =>
        Parse(text, MessageJson.Default.BulkRequestMessage, BulkRequestMessage.CurrentVersion, BulkRequestMessage.CurrentVersion, "bulk-requests", m => m.Id is not null && m.Container is not null);

    /// <summary>Packs features as little-endian float16, base64.</summary>
    public static string PackFeatures(ReadOnlySpan<float> features) => Convert.ToBase64String(MemoryMarshal.AsBytes(ToHalves(features).AsSpan()));

    /// <summary>Features exactly as <see cref="UnpackFeatures"/> gives them back (rounded to float16); see <see cref="FeatureResult.AsQueued"/>.</summary>
    internal static float[] AsQueued(ReadOnlySpan<float> features) => [.. ToHalves(features).Select(half => (float)half)];

    /// <summary>A region map exactly as a worker reads it back from a <c>features</c> message (8 bits per value).</summary>
    internal static float[] MapAsQueued(ReadOnlySpan<float> map) => MapFromBytes(MapToBytes(map));

    /// <summary>Unpacks <see cref="PackFeatures"/>; the wrong length is a <see cref="MessageFormatException"/>.</summary>
    public static float[] UnpackFeatures(string packed, int expectedLength)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(packed);
        }
        catch (FormatException ex)
        {
            throw new MessageFormatException("Features are not valid base64.", ex);
        }

        if (bytes.Length != expectedLength * 2)
        {
            throw new MessageFormatException($"Features hold {bytes.Length / 2} values; expected {expectedLength}.");
        }

        var halves = MemoryMarshal.Cast<byte, Half>(bytes);
        var features = new float[expectedLength];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)halves[i];
        }

        return features;
    }

    /// <summary>
    /// Packs a region map [49 x 512] (non-negative: it follows a ReLU) as 8 bits per value with one float32
    /// scale per channel (the channel's maximum / 255): 512 scales then 49 x 512 bytes, base64. The error
    /// of a value is at most half its channel's step.
    /// </summary>
    public static string PackMap(ReadOnlySpan<float> map) => Convert.ToBase64String(MapToBytes(map));

    /// <summary>Unpacks <see cref="PackMap"/>; anything else is a <see cref="MessageFormatException"/>.</summary>
    public static float[] UnpackMap(string packed)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(packed);
        }
        catch (FormatException ex)
        {
            throw new MessageFormatException("The region map is not valid base64.", ex);
        }

        return MapFromBytes(bytes);
    }

    private static Half[] ToHalves(ReadOnlySpan<float> values)
    {
        var halves = new Half[values.Length];
        for (var i = 0; i < halves.Length; i++)
        {
            halves[i] = (Half)values[i];
        }

        return halves;
    }

    private static byte[] MapToBytes(ReadOnlySpan<float> map)
    {
        const int channels = EncoderIdentity.FeatureSize;
        if (map.Length != EncoderIdentity.MapSize)
        {
            throw new ArgumentException($"A region map has {EncoderIdentity.MapSize} values, not {map.Length}.", nameof(map));
        }

        var bytes = new byte[(channels * sizeof(float)) + map.Length];
        var scales = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, channels * sizeof(float)));
        for (var region = 0; region < EncoderIdentity.Regions; region++)
        {
            for (var channel = 0; channel < channels; channel++)
            {
                scales[channel] = Math.Max(scales[channel], map[(region * channels) + channel] / 255f);
            }
        }

        var codes = bytes.AsSpan(channels * sizeof(float));
        for (var i = 0; i < map.Length; i++)
        {
            var scale = scales[i % channels];
            codes[i] = scale > 0 ? (byte)Math.Clamp(MathF.Round(map[i] / scale), 0, 255) : (byte)0;
        }

        return bytes;
    }

    private static float[] MapFromBytes(byte[] bytes)
    {
        const int channels = EncoderIdentity.FeatureSize;
        if (bytes.Length != (channels * sizeof(float)) + EncoderIdentity.MapSize)
        {
            throw new MessageFormatException($"The region map holds {bytes.Length} bytes; expected {(channels * sizeof(float)) + EncoderIdentity.MapSize}.");
        }

        var scales = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, channels * sizeof(float)));
        foreach (var scale in scales)
        {
            if (!float.IsFinite(scale) || scale < 0)
            {
                throw new MessageFormatException("The region map has an invalid channel scale.");
            }
        }

        var codes = bytes.AsSpan(channels * sizeof(float));
        var map = new float[EncoderIdentity.MapSize];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = codes[i] * scales[i % channels];
        }

        return map;
    }

    private static T Parse<T>(string text, JsonTypeInfo<T> type, int oldest, int supported, string queue, Func<T, bool> complete)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new MessageFormatException($"A {queue} message is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("v", out var version) || !version.TryGetInt32(out var number))
            {
                throw new MessageFormatException($"A {queue} message has no version field 'v'.");
            }

            if (number < oldest || number > supported)
            {
                throw new MessageFormatException(oldest == supported
                    ? $"A {queue} message has version {number}; this worker reads version {supported}."
                    : $"A {queue} message has version {number}; this worker reads versions {oldest} to {supported}.");
            }

            T? message;
            try
            {
                message = document.RootElement.Deserialize(type);
            }
            catch (JsonException ex)
            {
                throw new MessageFormatException($"A {queue} message is malformed: {ex.Message}", ex);
            }

            return message is not null && complete(message)
                ? message
                : throw new MessageFormatException($"A {queue} message lacks required fields.");
        }
    }
}

[JsonSerializable(typeof(FeaturesMessage))]
[JsonSerializable(typeof(CaptionRequestMessage))]
[JsonSerializable(typeof(BulkRequestMessage))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, RespectRequiredConstructorParameters = true)]
internal sealed partial class MessageJson : JsonSerializerContext;
