using System.Text;
using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Core.Messages;

namespace Captioner.Core.Tests.Messages;

public class MessageCodecTests
{
    [Fact]
    public void Features_message_round_trips_with_features_within_float16_precision()
    {
        var features = Enumerable.Range(0, 512).Select(i => i * 0.037f).ToArray();
        var message = new FeaturesMessage
        {
            Image = new ImageReference("images", "holiday/beach 1.jpg", "\"0x8DC\""),
            Encoder = "enc",
            Features = MessageCodec.PackFeatures(features),
            Map = MessageCodec.PackMap(new float[EncoderIdentity.MapSize]),
            Decoding = new DecodingSpec { Mode = "beam", BeamWidth = 5 },
            Timings = new() { ["decodeMs"] = 3.5 },
        };

        var parsed = MessageCodec.ParseFeatures(MessageCodec.Serialize(message));
        var unpacked = MessageCodec.UnpackFeatures(parsed.Features, 512);

        Assert.Equal(message.Image, parsed.Image);
        Assert.Equal(DecodingMode.Beam, parsed.Decoding.ToOptions().Mode);
        Assert.All(features.Zip(unpacked), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= 0.001 * Math.Max(1, pair.First)));
    }

    [Fact]
    public void A_features_message_with_a_49x512_map_stays_under_the_64_KB_queue_limit_after_base64_at_its_largest()
    {
        // The longest name a blob may have, every timing, the largest decoding spec and a map of large distinct values.
        var random = new Random(1);
        var message = new FeaturesMessage
        {
            Image = new ImageReference("images", new string('n', 1024), "\"0x8DCFFFFFFFFFFFF\""),
            Encoder = new string('e', 100),
            Features = MessageCodec.PackFeatures([.. Enumerable.Range(0, 512).Select(_ => (float)random.NextDouble() * 60000)]),
            Map = MessageCodec.PackMap([.. Enumerable.Range(0, EncoderIdentity.MapSize).Select(_ => (float)random.NextDouble() * 1e6f)]),
            Force = true,
            Decoding = new DecodingSpec { Mode = "sample", Temperature = 0.123456789, TopK = 1000, Seed = int.MaxValue, MaxWords = 100 },
            Timings = new() { ["downloadMs"] = 123456.7, ["decodeMs"] = 123456.7, ["encodeMs"] = 123456.7 },
            EnqueuedAt = DateTimeOffset.MaxValue,
        };

        var queued = Convert.ToBase64String(Encoding.UTF8.GetBytes(MessageCodec.Serialize(message)));

        Assert.InRange(queued.Length, 40 * 1024, 64 * 1024);
    }

    [Fact]
    public void A_region_map_round_trips_within_half_a_step_of_its_channel()
    {
        var random = new Random(2);
        var map = Enumerable.Range(0, EncoderIdentity.MapSize).Select(i => i % 7 == 0 ? 0f : (float)(random.NextDouble() * (1 + (i % EncoderIdentity.FeatureSize)))).ToArray();

        var unpacked = MessageCodec.UnpackMap(MessageCodec.PackMap(map));

        for (var channel = 0; channel < EncoderIdentity.FeatureSize; channel++)
        {
            var step = Enumerable.Range(0, EncoderIdentity.Regions).Max(r => map[(r * EncoderIdentity.FeatureSize) + channel]) / 255f;
            for (var region = 0; region < EncoderIdentity.Regions; region++)
            {
                var i = (region * EncoderIdentity.FeatureSize) + channel;
                Assert.InRange(Math.Abs(unpacked[i] - map[i]), 0, (step / 2) + 1e-6);
            }
        }
    }

    [Fact]
    public void A_region_map_of_the_wrong_size_or_with_bad_scales_is_refused()
    {
        Assert.Throws<ArgumentException>(() => MessageCodec.PackMap(new float[100]));
        Assert.Contains("expected", Assert.Throws<MessageFormatException>(() => MessageCodec.UnpackMap(Convert.ToBase64String(new byte[100]))).Message);
        var bytes = Convert.FromBase64String(MessageCodec.PackMap(new float[EncoderIdentity.MapSize]));
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, 0);
        Assert.Contains("scale", Assert.Throws<MessageFormatException>(() => MessageCodec.UnpackMap(Convert.ToBase64String(bytes))).Message);
        Assert.Throws<MessageFormatException>(() => MessageCodec.UnpackMap("%%%"));
    }

    [Fact]
    public void A_version_1_message_without_a_map_is_still_read_and_a_version_2_message_needs_one()
    {
        var v1 = "{\"v\":1,\"image\":{\"container\":\"images\",\"name\":\"a.jpg\"},\"encoder\":\"e\",\"features\":\"AA==\"}";
        var v2 = v1.Replace("\"v\":1", "\"v\":2", StringComparison.Ordinal);

        Assert.Null(MessageCodec.ParseFeatures(v1).Map);
        Assert.Contains("lacks required fields", Assert.Throws<MessageFormatException>(() => MessageCodec.ParseFeatures(v2)).Message);
    }

    [Fact]
    public void A_full_caption_request_of_the_longest_names_stays_under_the_queue_limit_after_base64()
    {
        var message = new CaptionRequestMessage
        {
            BulkId = "b",
            Images = [.. Enumerable.Range(0, CaptionRequestMessage.MaxImages).Select(i => new ImageReference("images", new string('x', 1024), "\"0x8DCFFFFFFFFFFFF\""))],
        };

        Assert.True(Encoding.UTF8.GetByteCount(MessageCodec.Serialize(message)) * 4 / 3 < 64 * 1024);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1,2]", "no version")]
    [InlineData("{\"image\":{}}", "no version")]
    [InlineData("{\"v\":3,\"image\":{}}", "version 3; this worker reads versions 1 to 2")]
    [InlineData("{\"v\":1,\"image\":{\"container\":\"images\",\"name\":\"a.jpg\"}}", "malformed")]
    [InlineData("{\"v\":1,\"image\":\"a.jpg\",\"encoder\":\"e\",\"features\":\"AA==\"}", "malformed")]
    public void Unreadable_features_messages_get_a_clear_error(string text, string expected)
    {
        var error = Assert.Throws<MessageFormatException>(() => MessageCodec.ParseFeatures(text));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Features_of_the_wrong_length_are_refused()
    {
        Assert.Contains("expected 512", Assert.Throws<MessageFormatException>(() => MessageCodec.UnpackFeatures(MessageCodec.PackFeatures(new float[10]), 512)).Message);
        Assert.Throws<MessageFormatException>(() => MessageCodec.UnpackFeatures("%%%", 512));
    }

    [Fact]
    public void Bulk_and_caption_requests_round_trip()
    {
        var bulk = new BulkRequestMessage { Id = "job-1", Container = "images", Prefix = "2024/", Force = true, Continuation = "token", Page = 3 };
        var request = new CaptionRequestMessage { BulkId = "job-1", Images = [new ImageReference("images", "a.jpg", null)], Force = true };

        Assert.Equal(bulk, MessageCodec.ParseBulkRequest(MessageCodec.Serialize(bulk)));
        var parsed = MessageCodec.ParseCaptionRequest(MessageCodec.Serialize(request));
        Assert.Equal(request.Images, parsed.Images);
        Assert.True(parsed.Force);
    }

    [Fact]
    public void An_unknown_decoding_mode_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new DecodingSpec { Mode = "nucleus" }.ToOptions());
    }
}
