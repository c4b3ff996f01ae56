using System.Text.Json;
using Captioner.Core.Pipeline;

namespace Captioner.Core.Tests.Pipeline;

public class CaptionResultJsonTests
{
    [Theory]
    [InlineData(FailureReason.TooLarge, "TooLarge")]
    [InlineData(FailureReason.EncoderMismatch, "EncoderMismatch")]
    [InlineData(FailureReason.InvalidDecoding, "InvalidDecoding")]
    public void A_failure_reason_is_written_and_read_by_its_name_as_before(FailureReason reason, string name)
    {
        var result = new CaptionResult { Image = "a.jpg", Container = "images", Status = CaptionResult.Failed, Reason = reason, Error = "why" };

        var json = JsonSerializer.Serialize(result, ResultJson.Default.CaptionResult);

        Assert.Contains($"\"reason\":\"{name}\"", json, StringComparison.Ordinal);
        Assert.Equal(reason, JsonSerializer.Deserialize($"{{\"image\":\"a.jpg\",\"container\":\"images\",\"status\":\"failed\",\"reason\":\"{name}\"}}", ResultJson.Default.CaptionResult)!.Reason);
    }

    [Fact]
    public void A_caption_has_no_reason_on_the_wire()
    {
        var json = JsonSerializer.Serialize(new CaptionResult { Image = "a.jpg", Container = "images", Status = CaptionResult.Succeeded, Caption = "a dog" }, ResultJson.Default.CaptionResult);

        Assert.DoesNotContain("\"reason\"", json, StringComparison.Ordinal);
    }
}
