using Captioner.Evaluation.Captioning;
using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Evaluation.Scoring;
using Captioner.Core.Models;
using Captioner.Core.Vocabulary;
using Captioner.Training.Export;
using Captioner.Training.Model;

namespace Captioner.Training.Tests;

[Collection(TinyModelGroup.Name)]
public class TinyTrainingTests
{
    private readonly TinyModelFixture _fixture;

    public TinyTrainingTests(TinyModelFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Training_runs_every_phase_and_dev_loss_falls()
    {
        Assert.Equal(["dataset", "vocabulary", "features", "training", "export", "evaluation"], _fixture.Progress.Phases.Distinct());
        var epochs = _fixture.Progress.Epochs;
        Assert.Equal(5, epochs.Count);
        Assert.True(epochs[^1].DevLoss < epochs[0].DevLoss - 0.1, $"dev loss {epochs[0].DevLoss:F3} -> {epochs[^1].DevLoss:F3}");
        Assert.All(epochs, e => Assert.NotNull(e.DevCider));

        // The checkpoint kept is the epoch with the best greedy dev CIDEr-D.
        var selected = epochs.Last(e => e.Improved);
        Assert.Equal(epochs.Max(e => e.DevCider), selected.DevCider);
        Assert.Equal(Math.Round(selected.DevLoss, 4), _fixture.Manifest.Metrics["devLoss"]);
        Assert.Equal(selected.Epoch, _fixture.Manifest.Training!.BestEpoch);
    }

    [Fact]
    public void Exported_graphs_agree_with_torchsharp_within_1e_4()
    {
        Assert.InRange(_fixture.Manifest.Metrics["parityMaxAbsDiff"], 0, TrainingRun.ParityTolerance);
    }

    [Fact]
    public void Manifest_records_encoder_sizes_training_and_file_hashes()
    {
        var manifest = ModelFiles.Deserialize(File.ReadAllBytes(Path.Combine(_fixture.ModelDirectory, ModelFiles.Manifest)));

        Assert.Equal("tiny-1", manifest.Version);
        Assert.Equal(EncoderIdentity.Name, manifest.Encoder.Name);
        Assert.Equal(128, manifest.Decoder.HiddenSize);
        Assert.Equal(400, manifest.Training!.TrainImages);
        Assert.Equal("3", manifest.Training.Parameters["minWordCount"]);
        Assert.Equal(ModelFiles.All.Order(), manifest.Files.Keys.Order());
        Assert.Contains("beam3.bleu4", manifest.Metrics.Keys);
    }

    [Fact]
    public void Local_training_fits_familiarity_on_its_training_photos_and_calibrates_confidence_on_dev()
    {
        using var model = CaptioningModel.LoadFolder(_fixture.ModelDirectory);
        var file = model.Assessor!.File;

        Assert.Equal(400, file.Captions.Count);
        Assert.Equal(_fixture.DevImages.Count, file.Calibration!.Images);
        Assert.InRange(file.Calibration.AcceptableShare, 0, 1);

        // Served captions of dev photos carry both scores; the threshold is dev's 5th percentile (on the training
        // features' precision, so the served int8 features may flag a few more or fewer).
        using var captioner = ImageCaptioner.Open(_fixture.ModelDirectory);
        var outcomes = captioner.CaptionFiles([.. _fixture.DevImages.Select(i => Path.Combine(TestData.Images, i.ImageFile))], DecodingOptions.BeamSearch(3)).ToList();
        Assert.All(outcomes, outcome => Assert.InRange(outcome.Assessment!.Confidence!.Value, 0, 1));
        Assert.InRange(outcomes.Count(o => o.Assessment!.Unfamiliar), 0, 20);
    }

    [Fact]
    public void Captions_through_onnx_runtime_use_real_words_and_beat_an_untrained_model()
    {
        var trained = CaptionDev(_fixture.ModelDirectory, out var vocabulary);
        var untrainedDirectory = WriteUntrainedModel(vocabulary);
        var untrained = CaptionDev(untrainedDirectory, out _);
        var references = _fixture.DevImages.Select(i => i.Captions).ToList();
        var trainedScores = CaptionScores.Compute(trained, references);
        var untrainedScores = CaptionScores.Compute(untrained, references);

        Assert.All(trained, caption => Assert.NotEmpty(caption));
        var words = trained.SelectMany(CaptionTokenizer.Tokenize).ToList();
        Assert.All(words, word => Assert.DoesNotContain(word, SpecialTokens.All));
        Assert.Contains("a", words);
        Assert.True(words.Distinct().Count() >= 5, string.Join(" | ", trained.Distinct()));
        Assert.True(trainedScores.Bleu1 > 0.3, trainedScores.ToString());
        Assert.True(trainedScores.CiderD > untrainedScores.CiderD + 0.05, $"trained {trainedScores}; untrained {untrainedScores}");
    }

    private List<string> CaptionDev(string modelDirectory, out CaptionVocabulary vocabulary)
    {
        using var captioner = ImageCaptioner.Open(modelDirectory);
        using var model = CaptioningModel.LoadFolder(modelDirectory);
        vocabulary = model.Vocabulary;
        var outcomes = captioner.CaptionFiles([.. _fixture.DevImages.Select(i => Path.Combine(TestData.Images, i.ImageFile))], DecodingOptions.Greedy).ToList();
        Assert.All(outcomes, outcome => Assert.Null(outcome.Error));
        return [.. outcomes.Select(o => o.Caption!.Caption)];
    }

    private string WriteUntrainedModel(CaptionVocabulary vocabulary)
    {
        var directory = Path.Combine(_fixture.Root, "untrained");
        using var module = new ShowAndTellModule(EncoderIdentity.FeatureSize, vocabulary.Count, 64, 128, 0.5);
        DecoderOnnxExporter.Export(module.ExportWeights(), directory);
        using (var stream = File.Create(Path.Combine(directory, ModelFiles.Vocabulary)))
        {
            vocabulary.Save(stream);
        }

        ModelFiles.WriteManifest(directory, _fixture.Manifest with { Version = "untrained" });
        return directory;
    }
}
