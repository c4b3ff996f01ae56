using Captioner.Core.Decoding;
using Captioner.Core.Messages;
using Captioner.Core.Vocabulary;

namespace Captioner.Core.Tests.Decoding;

/// <summary>Words a caption begins with: read as captions are tokenised, letters, digits and spaces only, known words only.</summary>
public sealed class BeginWithTests
{
    private static readonly CaptionVocabulary Vocabulary = CaptionVocabulary.Build(
        [["a", "dog", "runs"], ["a", "dog", "jumps"], ["two", "dogs", "run"]],
        minimumCount: 1);

    [Theory]
    [InlineData("a dog", new[] { "a", "dog" })]
    [InlineData("  A   Dog ", new[] { "a", "dog" })]
    [InlineData("two dogs 2", new[] { "two", "dogs", "2" })]
    [InlineData("", new string[0])]
    [InlineData(null, new string[0])]
    public void Words_to_begin_with_are_tokenised_as_captions_are(string? beginWith, string[] expected)
    {
        Assert.Equal(expected, new DecodingOptions { BeginWith = beginWith }.BeginWords());
    }

    [Theory]
    [InlineData("a dog, running", "','")]
    [InlineData("a <b>", "'<'")]
    [InlineData("a\tdog", "'?'")]
    [InlineData("#END#", "'#'")]
    public void Anything_but_letters_digits_and_spaces_is_refused_naming_the_character(string beginWith, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => new DecodingOptions { BeginWith = beginWith }.Validate());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(DecodingOptions.BeginWith), error.ParamName);
    }

    [Fact]
    public void More_words_than_a_caption_may_have_are_refused()
    {
        var options = new DecodingOptions { BeginWith = "a dog runs", MaxWords = 2 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Contains("more than the 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_words_become_their_vocabulary_ids_in_order()
    {
        var tokens = new DecodingOptions { BeginWith = "a dog" }.BeginTokens(Vocabulary);

        Assert.Equal(new[] { Vocabulary.IdOf("a"), Vocabulary.IdOf("dog") }, tokens);
        Assert.DoesNotContain(SpecialTokens.UnknownId, tokens);
    }

    [Fact]
    public void A_word_the_model_does_not_know_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new DecodingOptions { BeginWith = "a zebra" }.BeginTokens(Vocabulary));

        Assert.Contains("'zebra' is not a word this model knows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_carries_its_words_to_begin_with_into_the_decoding_options()
    {
        var spec = new DecodingSpec { Mode = "beam", BeginWith = "a dog" };

        Assert.Equal("a dog", spec.ToOptions().BeginWith);
        Assert.Throws<ArgumentException>(() => new DecodingSpec { BeginWith = "a;dog" }.ToOptions());
    }
}
