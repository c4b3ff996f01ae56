using Captioner.Core.Vocabulary;

namespace Captioner.Core.Tests.Vocabulary;

public class VocabularyGrowthTests
{
    private static readonly CaptionVocabulary Base = CaptionVocabulary.Build([["a", "dog", "runs"], ["a", "dog", "sits"], ["a", "cat"]], minimumCount: 1);

    [Fact]
    public void Growing_keeps_every_known_words_id_and_adds_new_words_after_them_in_frequency_order()
    {
        var grown = Base.Grow([["a", "skier", "on", "snow"], ["a", "skier", "in", "snow"], ["snow", "and", "a", "dog"]], minimumCount: 2);

        Assert.Equal(Base.Words, grown.Words.Take(Base.Count));
        Assert.Equal(["snow", "skier"], grown.Words.Skip(Base.Count));
        foreach (var word in Base.Words)
        {
            Assert.Equal(Base.IdOf(word), grown.IdOf(word));
        }

        Assert.Equal(Base.MinimumCount, grown.MinimumCount);
    }

    [Fact]
    public void Words_below_the_minimum_count_of_the_new_captions_stay_unknown_and_known_words_need_no_count()
    {
        var grown = Base.Grow([["a", "sled"], ["cat"]], minimumCount: 2);

        Assert.Equal(Base.Words, grown.Words);
        Assert.Equal(SpecialTokens.UnknownId, grown.IdOf("sled"));
    }
}
