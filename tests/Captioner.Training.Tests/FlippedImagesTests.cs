using Captioner.Evaluation.Data;
using Captioner.Core.Features;
using Captioner.Core.Models;
using Captioner.Core.Training;
using Captioner.Core.Vocabulary;
using Captioner.Training.Data;

namespace Captioner.Training.Tests;

/// <summary>Flipped training photos: their captions, the per-epoch choice of side, and a real training run that learns from the mirrors.</summary>
[Collection(TorchRandomState.Name)]
public sealed class FlippedImagesTests
{
    [Theory]
    [InlineData("A dog jumps to the left.", "a dog jumps to the right")]
    [InlineData("a man on the right holds a ball in his left hand", "a man on the left holds a ball in his right hand")]
    [InlineData("two dogs play", "two dogs play")]
    [InlineData("a leftover cake, brightly lit", "a leftover cake brightly lit")]
    public void A_flipped_photos_caption_swaps_left_and_right_and_nothing_else(string caption, string expected) =>
        Assert.Equal(expected, MirroredImages.Caption(caption));

    [Fact]
    public void Mirrors_follow_the_originals_in_the_same_order_under_a_name_no_file_has()
    {
        var images = new List<CaptionedImage> { new("a.jpg", ["a dog on the left"]), new("b.jpg", ["right here", "a cat"]) };

        var all = MirroredImages.WithMirrors(images);

        Assert.Equal(["a.jpg", "b.jpg", "a.jpg#mirrored", "b.jpg#mirrored"], all.Select(i => i.ImageFile));
        Assert.Equal(["a dog on the right"], all[2].Captions);
        Assert.Equal(["left here", "a cat"], all[3].Captions);
    }

    [Fact]
    public void Each_epoch_shows_about_half_the_examples_flipped_and_a_rerun_draws_the_same()
    {
        int[] Draw(int seed)
        {
            var order = Enumerable.Range(0, 1000).ToArray();
            MirroredImages.ChooseSides(order, 1000, seed);
            return order;
        }

        var first = Draw(7);

        Assert.Equal(first, Draw(7));
        Assert.NotEqual(first, Draw(8));
        Assert.InRange(first.Count(i => i >= 1000), 400, 600);
        Assert.Equal(Enumerable.Range(0, 1000), first.Select(i => i % 1000));
    }

    [Fact]
    public void A_model_trained_with_flipped_images_says_right_for_the_mirror_of_a_photo_captioned_left()
    {
        // Originals carry a "left side" signal and mirrors a "right side" one; every original caption says left, so
        // the model can only learn to say right from the mirrors' swapped captions.
        const int Originals = 32;
        var originals = Enumerable.Range(0, Originals)
            .Select(i => new CaptionedImage($"{i}.jpg", [i % 2 == 0 ? "a dog on the left" : "a cat on the left"]))
            .ToList();
        var images = MirroredImages.WithMirrors(originals);
        var features = ToyFeatures(images.Count, image => (image % 2, image < Originals ? 2 : 3));
        var options = new TrainingOptions
        {
            Decoder = DecoderKinds.SoftAttention, EmbeddingSize = 16, HiddenSize = 32, AttentionSize = 16, Dropout = 0, FeatureDropout = 0,
            BatchSize = 8, LearningRate = 1e-2, MinWordCount = 1, MaxWords = 8, Threads = 1, Seed = 3, FlipImages = true,
        };
        var vocabulary = CaptionVocabulary.Build(images.SelectMany(i => i.Captions).Select(c => (IReadOnlyList<string>)CaptionTokenizer.Tokenize(c)), 1);
        var pairs = new CaptionPairs(images, vocabulary, options.MaxWords);
        var mirrorsOnly = images.Skip(Originals).ToList();
        var mirrorFeatures = ToyFeatures(Originals, image => (image % 2, 3));
        using var trainer = new CaptionTrainer(options, vocabulary, features, images, pairs, mirrorFeatures, new CaptionPairs(mirrorsOnly, vocabulary, options.MaxWords));

        for (var epoch = 1; epoch <= 12; epoch++)
        {
            trainer.TrainEpoch(epoch);
        }

        var captions = trainer.DevGreedyTokens(options.MaxWords).Select(tokens => string.Join(' ', tokens.Select(t => vocabulary.Words[t]))).ToList();
        Assert.All(captions, caption => Assert.Contains("right", caption, StringComparison.Ordinal));
        Assert.Equal(Originals / 2, captions.Count(c => c.Contains("dog", StringComparison.Ordinal)));
    }

    [Fact]
    public void Flipped_training_refuses_a_set_that_is_not_originals_then_mirrors()
    {
        var images = new List<CaptionedImage> { new("a.jpg", ["a dog"]), new("b.jpg", ["a dog"]), new("c.jpg", ["a dog"]) };
        var vocabulary = CaptionVocabulary.Build([CaptionTokenizer.Tokenize("a dog")], 1);
        var pairs = new CaptionPairs(images, vocabulary, 8);
        var features = ToyFeatures(3, image => (0, 2));

        Assert.Throws<ArgumentException>(() => new CaptionTrainer(new TrainingOptions { FlipImages = true, Threads = 1 }, vocabulary, features, images, pairs, features, pairs));
    }

    // Region maps with a strong signal in the channel blocks of the image's class and side (8 channels a block).
    private static ImageFeatureSet ToyFeatures(int count, Func<int, (int Class, int Side)> signal)
    {
        var random = new Random(5);
        var pooled = new float[count * EncoderIdentity.FeatureSize];
        var maps = new float[count * EncoderIdentity.MapSize];
        for (var i = 0; i < count; i++)
        {
            var (label, side) = signal(i);
            for (var region = 0; region < EncoderIdentity.Regions; region++)
            {
                for (var channel = 0; channel < EncoderIdentity.FeatureSize; channel++)
                {
                    var on = channel / 8 == label || channel / 8 == side ? 2f : 0f;
                    maps[(i * EncoderIdentity.MapSize) + (region * EncoderIdentity.FeatureSize) + channel] = on + ((float)random.NextDouble() * 0.2f);
                }
            }

            for (var channel = 0; channel < EncoderIdentity.FeatureSize; channel++)
            {
                pooled[(i * EncoderIdentity.FeatureSize) + channel] = Enumerable.Range(0, EncoderIdentity.Regions).Average(r => maps[(i * EncoderIdentity.MapSize) + (r * EncoderIdentity.FeatureSize) + channel]);
            }
        }

        return new ImageFeatureSet(pooled, maps);
    }
}
