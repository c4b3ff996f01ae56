using Captioner.Evaluation.Scoring;

namespace Captioner.Core.Tests.Evaluation;

public class CiderDTests
{
    [Fact]
    public void CiderD_of_a_hand_checked_corpus()
    {
        // Image 1: "a" vs "a b": unigram cosine 1/sqrt(2), no bigrams, length (bigram count) 0 vs 1.
        // Image 2: "c d" vs "c d": unigram and bigram cosine 1, no 3- or 4-grams, same length.
        // CIDEr-D averages the four n-gram orders and multiplies by 10.
        var score = CiderD.Corpus([Words("a"), Words("c d")], [[Words("a b")], [Words("c d")]]);

        var first = 10 * (1 / Math.Sqrt(2) * Math.Exp(-1.0 / 72)) / 4;
        var second = 10 * 2.0 / 4;
        Assert.Equal((first + second) / 2, score, 6);
    }

    [Fact]
    public void CiderD_is_ten_for_a_caption_identical_to_its_only_reference_of_four_words_or_more()
    {
        var score = CiderD.Corpus([Words("a dog runs fast"), Words("two cats sleep here")], [[Words("a dog runs fast")], [Words("two cats sleep here")]]);

        Assert.Equal(10.0, score, 6);
    }

    [Fact]
    public void CiderD_clips_candidate_counts_at_the_reference_weight()
    {
        var repeated = CiderD.Corpus([Words("dog dog dog"), Words("x y")], [[Words("dog runs")], [Words("x y")]]);
        var once = CiderD.Corpus([Words("dog"), Words("x y")], [[Words("dog runs")], [Words("x y")]]);

        // Repetition may not earn more than saying the word once (it only costs length and norm).
        Assert.True(repeated <= once);
    }

    [Fact]
    public void CiderD_is_zero_when_nothing_matches()
    {
        var score = CiderD.Corpus([Words("x y"), Words("p q")], [[Words("a b")], [Words("c d")]]);

        Assert.Equal(0.0, score, 9);
    }

    [Fact]
    public void CaptionScores_tokenise_case_and_punctuation_away()
    {
        var scores = CaptionScores.Compute(["A dog runs fast ."], [["a dog runs fast"]]);

        Assert.Equal(1.0, scores.Bleu4, 6);
        Assert.Equal(1, scores.Images);
    }

    private static string[] Words(string text) => text.Split(' ');
}
