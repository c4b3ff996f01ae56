using Captioner.Core.Decoding;
using Captioner.Core.Models;
using Captioner.Core.Training;
using Captioner.Core.Vocabulary;
using Captioner.Evaluation.Captioning;
using Captioner.Evaluation.Data;
using Captioner.Evaluation.Scoring;

namespace Captioner.Training.Tests;

/// <summary>
/// <c>train --from</c> on the tiny model: a small captions file that calls dogs "puppers" teaches the word, keeps every
/// known word's id, and leaves the captions of photos without dogs close to the base model's.
/// </summary>
[Collection(TinyModelGroup.Name)]
public sealed class FineTuningTests(TinyModelFixture fixture)
{
    [Fact]
    public void Fine_tuning_from_a_model_adds_the_new_captions_words_and_keeps_its_captions_of_other_photos_close()
    {
        var root = Path.Combine(fixture.Root, "fine-tune");
        var output = Path.Combine(root, "model");
        var manifest = FineTune(fixture.ModelDirectory, root, output);

        using var baseModel = CaptioningModel.LoadFolder(fixture.ModelDirectory);
        using var tuned = CaptioningModel.LoadFolder(output);
        Assert.Equal("tiny-1", manifest.Training!.From);
        Assert.Contains("pupper", manifest.Training.NewWords!);
        Assert.Equal(baseModel.Vocabulary.Words, tuned.Vocabulary.Words.Take(baseModel.Vocabulary.Count));
        Assert.DoesNotContain("pupper", baseModel.Vocabulary.Words);

        // The fixture's dev photos: the word is used for dogs, and photos without dogs keep captions close to the base's.
        var devDogs = fixture.DevImages.Where(i => i.Captions.Count(c => CaptionTokenizer.Tokenize(c).Contains("dog")) >= 3).ToList();
        var devOthers = fixture.DevImages.Where(i => !i.Captions.Any(c => CaptionTokenizer.Tokenize(c).Contains("dog"))).ToList();
        var tunedOnDogs = Caption(output, devDogs);
        Assert.True(tunedOnDogs.Count(c => CaptionTokenizer.Tokenize(c).Contains("pupper")) >= devDogs.Count / 2, string.Join(" | ", tunedOnDogs));
        var before = Caption(fixture.ModelDirectory, devOthers);
        var after = Caption(output, devOthers);
        var kept = CiderD.Corpus([.. after.Select(CaptionTokenizer.Tokenize)], [.. before.Select(c => (IReadOnlyList<string[]>)[CaptionTokenizer.Tokenize(c)])]);
        Assert.True(kept > 2.0, $"CIDEr-D of the tuned captions against the base's on {devOthers.Count} photos without dogs: {kept:F3}");
        var misused = after.Count(c => CaptionTokenizer.Tokenize(c).Contains("pupper"));
        Assert.True(misused <= devOthers.Count / 10, $"'pupper' in {misused} of {devOthers.Count} captions of photos without dogs");
        Console.WriteLine($"dogs: {tunedOnDogs.Count(c => CaptionTokenizer.Tokenize(c).Contains("pupper"))} of {devDogs.Count} say pupper; others: CIDEr-D vs base {kept:F3}, {misused} of {devOthers.Count} say pupper");
    }

    [Fact]
    public void An_ensemble_is_fine_tuned_decoder_by_decoder_and_joined_again_the_way_it_was()
    {
        var root = Path.Combine(fixture.Root, "fine-tune-ensemble");
        var joined = Path.Combine(root, "base");
        Export.EnsembleExporter.Export([fixture.ModelDirectory, fixture.ModelDirectory], joined, "tiny-pair", halfPrecision: true, int8Gates: true);
        var output = Path.Combine(root, "model");

        FineTune(joined, root, output, epochs: 2);

        Assert.Equal([DecoderKinds.ShowAndTell, DecoderKinds.ShowAndTell], WarmStart.BaseModelReader.EnsembleKinds(output));
        using var tuned = CaptioningModel.LoadFolder(output);
        Assert.Contains("pupper", tuned.Vocabulary.Words);
        Assert.Equal("float16", tuned.Manifest.Training!.Parameters["weights"]);
        Assert.Equal("int8", tuned.Manifest.Training.Parameters["gateWeights"]);
        Assert.All(Caption(output, fixture.DevImages.Take(3).ToList()), caption => Assert.NotEqual(string.Empty, caption));
    }

    private static ModelManifest FineTune(string from, string root, string output, int epochs = 6)
    {
        Directory.CreateDirectory(root);
        var all = CaptionFiles.ReadFile(TestData.Captions);
        var pool = SplitFile.Select(all, [.. File.ReadLines(Path.Combine(TestData.Flickr8k, "split_train.txt")).Skip(400).Take(800)], "pool");
        var dogs = pool.Where(image => image.Captions.Count(c => CaptionTokenizer.Tokenize(c).Contains("dog")) >= 3).ToList();
        var others = pool.Where(image => !image.Captions.Any(c => CaptionTokenizer.Tokenize(c).Contains("dog"))).ToList();
        var train = dogs.Take(50).Select(Puppers).Concat(others.Take(50)).ToList();
        var dev = dogs.Skip(50).Take(15).Select(Puppers).Concat(others.Skip(50).Take(15)).ToList();
        var captions = Path.Combine(root, "captions.tsv");
        File.WriteAllLines(captions, train.Concat(dev).SelectMany(image => image.Captions.Select(c => $"{image.ImageFile}\t{c}")));
        File.WriteAllLines(Path.Combine(root, "train.txt"), train.Select(i => i.ImageFile));
        File.WriteAllLines(Path.Combine(root, "dev.txt"), dev.Select(i => i.ImageFile));
        var options = TrainingOptions.FineTuning();
        (options.LearningRate, options.BatchSize, options.MaxEpochs, options.Patience) = (2e-3, 32, epochs, epochs);
        return TrainingRun.Run(
            new TrainingRequest
            {
                ImagesDirectory = TestData.Images,
                CaptionsFile = captions,
                TrainSplitFile = Path.Combine(root, "train.txt"),
                DevSplitFile = Path.Combine(root, "dev.txt"),
                OutputDirectory = output,
                WorkDirectory = Path.Combine(root, "work"),
                DatasetName = "puppers",
                Version = "tiny-puppers",
                FromModelDirectory = from,
                Options = options,
            },
            new TinyModelFixture.RecordingProgress());
    }

    private static CaptionedImage Puppers(CaptionedImage image) =>
        image with { Captions = [.. image.Captions.Select(c => string.Join(' ', CaptionTokenizer.Tokenize(c).Select(w => w switch { "dog" => "pupper", "dogs" => "puppers", _ => w })))] };

    private static List<string> Caption(string model, IReadOnlyList<CaptionedImage> images)
    {
        using var captioner = ImageCaptioner.Open(model);
        return [.. captioner.CaptionFiles([.. images.Select(i => Path.Combine(TestData.Images, i.ImageFile))], DecodingOptions.Greedy).Select(o => o.Caption!.Caption)];
    }
}
