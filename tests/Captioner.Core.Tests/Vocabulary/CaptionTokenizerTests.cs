using Captioner.Core.Vocabulary;

namespace Captioner.Core.Tests.Vocabulary;

public class CaptionTokenizerTests
{
    [Fact]
    public void Tokenize_lower_cases_and_drops_punctuation()
    {
        Assert.Equal(["a", "dog", "s", "ball", "is", "red"], CaptionTokenizer.Tokenize("A Dog's ball, is RED ."));
    }

    [Fact]
    public void Tokenize_keeps_digits_and_letters_beyond_ascii()
    {
        Assert.Equal(["2", "children", "in", "café"], CaptionTokenizer.Tokenize("2 children in Café!"));
    }

    [Fact]
    public void Tokenize_of_punctuation_only_is_empty()
    {
        Assert.Empty(CaptionTokenizer.Tokenize(" . , !"));
    }
}
