using System.Text;
using Captioner.Core.Decoding;
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
    public void A_features_message_is_compact()
    {
        var message = new FeaturesMessage
        {
            Image = new ImageReference("images", new string('n', 1024), "\"etag\""),
            Encoder = new string('e', 100),
            Features = MessageCodec.PackFeatures(new float[512]),
        };

        Assert.InRange(Encoding.UTF8.GetByteCount(MessageCodec.Serialize(message)), 1, 4 * 1024);
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
    [InlineData("{\"v\":2,\"image\":{}}", "version 2; this worker reads version 1")]
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
