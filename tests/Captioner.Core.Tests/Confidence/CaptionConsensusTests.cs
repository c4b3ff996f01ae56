using Captioner.Core.Confidence;
using Captioner.Core.Vocabulary;
using Captioner.Evaluation.Scoring;

namespace Captioner.Core.Tests.Confidence;

public sealed class CaptionConsensusTests
{
    private static readonly string[][] Photos =
    [
        ["a dog runs on the grass", "a brown dog is running", "the dog plays in a field"],
        ["a man rides a bike down a hill", "a cyclist on a mountain road", "a man on a bicycle"],
        ["two children play in the water", "kids splash in a pool", "two kids swimming"],
    ];

    [Theory]
    [InlineData("a dog is running on the grass")]
    [InlineData("a man rides a bike")]
    [InlineData("a zebra eats a xylophone")]
    [InlineData("")]
    public void Scores_a_caption_against_one_photo_as_the_evaluations_cider_d_does(string caption)
    {
        var consensus = new CaptionConsensus([.. Photos.Select(p => (IReadOnlyList<string>)[.. p])]);
        var cider = new CiderD([.. Photos.Select(p => (IReadOnlyList<string[]>)[.. p.Select(CaptionTokenizer.Tokenize)])]);
        var words = CaptionTokenizer.Tokenize(caption);

        for (var photo = 0; photo < Photos.Length; photo++)
        {
            Assert.Equal(cider.Score(photo, words), consensus.Score(words, [photo]), 9);
        }
    }

    [Fact]
    public void Averages_over_the_photos_it_is_given()
    {
        var consensus = new CaptionConsensus([.. Photos.Select(p => (IReadOnlyList<string>)[.. p])]);
        string[] words = ["a", "dog", "runs"];

        var both = consensus.Score(words, [0, 1]);

        Assert.Equal((consensus.Score(words, [0]) + consensus.Score(words, [1])) / 2, both, 12);
        Assert.True(consensus.Score(words, [0]) > consensus.Score(words, [2]));
    }
}
