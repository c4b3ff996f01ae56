using Captioner.Evaluation.Data;
using Captioner.Core.Features;
using Captioner.Core.Models;
using Captioner.Core.Vocabulary;
using Captioner.Training.Data;
using Captioner.Core.Training;

namespace Captioner.Training.Tests;

/// <summary>Training chunks resume exactly: weights, Adam state and per-epoch seeds make a resumed run equal one long run.</summary>
/// <remarks>Torch's random generator is global to the process: these run alone, after the parallel tests.</remarks>
[Collection(TorchRandomState.Name)]
public sealed class TrainerResumeTests : IDisposable
{
    private static readonly string[] Words = ["dog", "cat", "runs", "sits", "on", "grass", "a", "the", "red", "ball"];
    private readonly string _folder = Directory.CreateTempSubdirectory("captioner-resume-").FullName;

    [Theory]
    [InlineData(DecoderKinds.ShowAndTell)]
    [InlineData(DecoderKinds.SoftAttention)]
    [InlineData(DecoderKinds.AdaptiveAttention)]
    public void Two_epochs_in_two_trainers_through_a_checkpoint_equal_two_epochs_in_one(string decoder)
    {
        var options = new TrainingOptions { Decoder = decoder, EmbeddingSize = 16, HiddenSize = 32, AttentionSize = 16, BatchSize = 8, MinWordCount = 1, DecayFromEpoch = 2, Threads = 1 };
        var (images, features) = ToyData(40, seed: 3);
        var vocabulary = CaptionVocabulary.Build(images.SelectMany(i => i.Captions).Select(c => (IReadOnlyList<string>)CaptionTokenizer.Tokenize(c)), 1);
        CaptionTrainer NewTrainer() => new(options, vocabulary, features, images, new CaptionPairs(images, vocabulary, 10), features, new CaptionPairs(images, vocabulary, 10));

        double straight;
        using (var trainer = NewTrainer())
        {
            trainer.TrainEpoch(1);
            trainer.TrainEpoch(2);
            straight = trainer.DevLoss();
        }

        var weights = Path.Combine(_folder, "weights.bin");
        var adam = Path.Combine(_folder, "adam.bin");
        using (var first = NewTrainer())
        {
            first.TrainEpoch(1);
            first.SaveCheckpoint(weights);
            first.SaveOptimizerState(adam);
        }

        double resumed;
        using (var second = NewTrainer())
        {
            second.LoadCheckpoint(weights);
            second.LoadOptimizerState(adam);
            second.TrainEpoch(2);
            resumed = second.DevLoss();
        }

        Assert.Equal(straight, resumed, 6);

        // Without the Adam state the second epoch takes different steps: the state matters.
        using var withoutAdam = NewTrainer();
        withoutAdam.LoadCheckpoint(weights);
        withoutAdam.TrainEpoch(2);
        Assert.NotEqual(straight, withoutAdam.DevLoss(), 6);
    }

    /// <summary>Random captions over a small vocabulary, random pooled features and region maps.</summary>
    internal static (List<CaptionedImage> Images, ImageFeatureSet Features) ToyData(int count, int seed)
    {
        var random = new Random(seed);
        var images = Enumerable.Range(0, count).Select(i => new CaptionedImage($"{i}.jpg",
            [.. Enumerable.Range(0, 2).Select(_ => string.Join(' ', Enumerable.Range(0, 4).Select(_ => Words[random.Next(Words.Length)])))])).ToList();
        var pooled = Enumerable.Range(0, count * EncoderIdentity.FeatureSize).Select(_ => (float)random.NextDouble()).ToArray();
        var maps = Enumerable.Range(0, count * EncoderIdentity.MapSize).Select(_ => (float)random.NextDouble()).ToArray();
        return (images, new ImageFeatureSet(pooled, maps));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

/// <summary>Tests that need Torch's global random generator to themselves.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRandomState
{
    public const string Name = "torch random state";
}
