using System.Text;
using Captioner.Core.Corrections;

namespace Captioner.Core.Tests.Corrections;

public class CorrectionTextTests
{
    [Theory]
    [InlineData("A snowboarder jumps over a ridge .", "A snowboarder jumps over a ridge .")]
    [InlineData("  two   dogs,  one ball  ", "two dogs, one ball")]
    [InlineData("a 4-year-old's bike", "a 4-year-old's bike")]
    public void A_caption_of_allowed_characters_is_kept_with_its_spaces_folded(string text, string expected)
    {
        var (checkedText, problem) = CorrectionText.Check(text);

        Assert.Null(problem);
        Assert.Equal(expected, checkedText);
    }

    [Theory]
    [InlineData("a <script>alert(1)</script>", "A caption may hold only letters a-z, digits, spaces and . , ' - (character 3 is '<').")]
    [InlineData("a dog\u0000", "A caption may hold only letters a-z, digits, spaces and . , ' - (character 6 is U+0000).")]
    [InlineData("a dog\nruns", "(character 6 is U+000A)")]
    [InlineData("a café", "(character 6 is U+00E9)")]
    [InlineData("a dog \u202e gnikrap", "(character 7 is U+202E)")]
    [InlineData("", "A caption needs at least one word.")]
    [InlineData("   ", "A caption needs at least one word.")]
    [InlineData("12 - 3", "A caption needs at least one word with a letter.")]
    public void A_hostile_or_empty_caption_is_refused_with_one_clear_reason(string text, string reason)
    {
        var (checkedText, problem) = CorrectionText.Check(text);

        Assert.Null(checkedText);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_caption_over_the_length_or_word_limit_is_refused()
    {
        Assert.Equal("A caption is at most 200 characters (this one has 201).", CorrectionText.Check(new string('a', 201)).Problem);
        Assert.Equal("A caption is at most 30 words (this one has 31).", CorrectionText.Check(string.Join(' ', Enumerable.Repeat("dog", 31))).Problem);
    }

    [Fact]
    public void A_request_says_a_caption_or_that_the_models_caption_is_right_never_both_and_names_the_photos_version()
    {
        Assert.Equal("a dog", CorrectionRequest.Parse(Encoding.UTF8.GetBytes("""{"caption": " a  dog ", "etag": "0x1"}""")).Request!.Caption);
        Assert.True(CorrectionRequest.Parse(Encoding.UTF8.GetBytes("""{"confirmed": true, "etag": "0x1"}""")).Request!.Confirmed);
        Assert.Contains("not both", CorrectionRequest.Parse(Encoding.UTF8.GetBytes("""{"confirmed": true, "caption": "a dog", "etag": "0x1"}""")).Problem, StringComparison.Ordinal);
        Assert.Contains("'etag'", CorrectionRequest.Parse(Encoding.UTF8.GetBytes("""{"caption": "a dog"}""")).Problem, StringComparison.Ordinal);
        Assert.Contains("must be JSON", CorrectionRequest.Parse(Encoding.UTF8.GetBytes("""{"caption": 5, "etag": "0x1"}""")).Problem, StringComparison.Ordinal);
        Assert.Contains("at most 4096 bytes", CorrectionRequest.Parse(new byte[5000]).Problem, StringComparison.Ordinal);
    }
}
