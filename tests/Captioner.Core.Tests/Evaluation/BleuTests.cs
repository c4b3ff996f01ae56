using Captioner.Evaluation.Scoring;

namespace Captioner.Core.Tests.Evaluation;

public class BleuTests
{
    [Fact]
    public void Bleu_of_a_hand_checked_sentence_matches_its_clipped_precisions()
    {
        // Unigrams 5/6, bigrams 3/5, trigrams 1/4, 4-grams 0/3; equal lengths, so no brevity penalty.
        var scores = Bleu.Corpus([Words("the cat sat on the mat")], [[Words("the cat is on the mat")]]);

        Assert.Equal(5.0 / 6, scores[0], 6);
        Assert.Equal(Math.Sqrt(5.0 / 6 * 3 / 5), scores[1], 6);
        Assert.Equal(0.5, scores[2], 6);
        Assert.True(scores[3] < 1e-3);
    }

    [Fact]
    public void Bleu_applies_the_brevity_penalty_with_the_closest_reference_length()
    {
        // Candidate 2 words; the closest reference has 3 (not 6): BP = exp(1 - 3/2).
        var scores = Bleu.Corpus([Words("the cat")], [[Words("the cat is on the mat"), Words("the cat sits")]]);

        Assert.Equal(Math.Exp(1 - (3.0 / 2)), scores[0], 6);
    }

    [Fact]
    public void Bleu_clips_a_repeated_word_at_its_reference_count()
    {
        var scores = Bleu.Corpus([Words("the the the the")], [[Words("the cat on the")]]);

        Assert.Equal(0.5, scores[0], 6);
    }

    [Fact]
    public void Identical_captions_score_one()
    {
        var scores = Bleu.Corpus([Words("a dog runs on the grass")], [[Words("a dog runs on the grass")]]);

        Assert.All(scores, score => Assert.Equal(1.0, score, 6));
    }

    private static string[] Words(string text) => text.Split(' ');
}
