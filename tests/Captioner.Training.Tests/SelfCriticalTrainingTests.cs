using Captioner.Evaluation.Data;
using Captioner.Core.Features;
using Captioner.Core.Models;
using Captioner.Core.Vocabulary;
using Captioner.Training.Data;
using Captioner.Core.Training;

namespace Captioner.Training.Tests;

/// <summary>
/// A tiny soft-attention model trained for real (TorchSharp, seconds): a little cross-entropy, then
/// self-critical epochs whose CIDEr-D reward must rise. The toy images carry their class in a few channels
/// of every region; each class has its own captions.
/// </summary>
[Collection(TorchRandomState.Name)]
public sealed class SelfCriticalTrainingTests
{
    private static readonly string[][] ClassCaptions =
    [
        ["a dog runs on the grass", "a brown dog runs on grass", "the dog runs"],
        ["a man rides a red bike", "a man on a bike", "the man rides a bike on the road"],
        ["two children play in the water", "children play in water", "two kids splash in the water"],
        ["a woman sits on a bench", "the woman sits on a park bench", "a lady sits on a bench"],
    ];

    [Theory]
    [InlineData(DecoderKinds.SoftAttention, SelfCriticalBaselines.Greedy)]
    [InlineData(DecoderKinds.SoftAttention, SelfCriticalBaselines.Samples)]
    [InlineData(DecoderKinds.AdaptiveAttention, SelfCriticalBaselines.Samples)]
    public void The_self_critical_reward_rises_over_its_epochs(string decoder, string baseline)
    {
        var options = new TrainingOptions
        {
            Decoder = decoder, EmbeddingSize = 16, HiddenSize = 32, AttentionSize = 16, Dropout = 0.1, FeatureDropout = 0,
            BatchSize = 16, LearningRate = 5e-3, MinWordCount = 1, MaxWords = 10, Threads = 1, Seed = 3,
            SelfCriticalLearningRate = 5e-3, SelfCriticalImagesPerBatch = 8, SelfCriticalSamples = 5, SelfCriticalBaseline = baseline,
        };
        var (images, features) = ToyData(48);
        var vocabulary = CaptionVocabulary.Build(images.SelectMany(i => i.Captions).Select(c => (IReadOnlyList<string>)CaptionTokenizer.Tokenize(c)), 1);
        var pairs = new CaptionPairs(images, vocabulary, options.MaxWords);
        using var trainer = new CaptionTrainer(options, vocabulary, features, images, pairs, features, pairs);

        trainer.TrainEpoch(1);
        trainer.StartSelfCritical();
        var rewards = Enumerable.Range(2, 5).Select(epoch => trainer.SelfCriticalEpoch(epoch).Reward).ToList();

        Assert.True(rewards[^1] > rewards[0] + 0.1, $"rewards by epoch: {string.Join(", ", rewards.Select(r => r.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Theory]
    [InlineData(DecoderKinds.SoftAttention)]
    [InlineData(DecoderKinds.AdaptiveAttention)]
    public void The_cross_entropy_loss_falls_over_the_first_epochs(string decoder)
    {
        var options = new TrainingOptions
        {
            Decoder = decoder, EmbeddingSize = 16, HiddenSize = 32, AttentionSize = 16, Dropout = 0.1, FeatureDropout = 0,
            BatchSize = 16, LearningRate = 5e-3, MinWordCount = 1, MaxWords = 10, Threads = 1, Seed = 3,
        };
        var (images, features) = ToyData(48);
        var vocabulary = CaptionVocabulary.Build(images.SelectMany(i => i.Captions).Select(c => (IReadOnlyList<string>)CaptionTokenizer.Tokenize(c)), 1);
        var pairs = new CaptionPairs(images, vocabulary, options.MaxWords);
        using var trainer = new CaptionTrainer(options, vocabulary, features, images, pairs, features, pairs);

        var losses = Enumerable.Range(1, 4).Select(epoch => trainer.TrainEpoch(epoch)).ToList();

        Assert.True(losses[^1] < losses[0] * 0.8, $"losses by epoch: {string.Join(", ", losses.Select(l => l.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    private static (List<CaptionedImage> Images, ImageFeatureSet Features) ToyData(int count)
    {
        var random = new Random(5);
        var images = new List<CaptionedImage>();
        var pooled = new float[count * EncoderIdentity.FeatureSize];
        var maps = new float[count * EncoderIdentity.MapSize];
        for (var i = 0; i < count; i++)
        {
            var label = i % ClassCaptions.Length;
            images.Add(new CaptionedImage($"{i}.jpg", ClassCaptions[label]));
            for (var region = 0; region < EncoderIdentity.Regions; region++)
            {
                for (var channel = 0; channel < EncoderIdentity.FeatureSize; channel++)
                {
                    var signal = channel / 8 == label ? 2f : 0f;
                    maps[(i * EncoderIdentity.MapSize) + (region * EncoderIdentity.FeatureSize) + channel] = signal + ((float)random.NextDouble() * 0.2f);
                }
            }

            for (var channel = 0; channel < EncoderIdentity.FeatureSize; channel++)
            {
                pooled[(i * EncoderIdentity.FeatureSize) + channel] = Enumerable.Range(0, EncoderIdentity.Regions).Average(r => maps[(i * EncoderIdentity.MapSize) + (r * EncoderIdentity.FeatureSize) + channel]);
            }
        }

        return (images, new ImageFeatureSet(pooled, maps));
    }
}
