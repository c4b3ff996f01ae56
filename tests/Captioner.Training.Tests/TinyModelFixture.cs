using Captioner.Evaluation.Data;
using Captioner.Core.Models;
using Captioner.Core.Training;

namespace Captioner.Training.Tests;

/// <summary>
/// Trains a tiny model once for the test class: 400 Flickr8k training images, 100 dev images, a few
/// epochs, through the same <see cref="TrainingRun"/> the CLI uses (real features, real TorchSharp,
/// real export).
/// </summary>
public sealed class TinyModelFixture : IDisposable
{
    public TinyModelFixture()
    {
        Root = Directory.CreateTempSubdirectory("captioner-tiny-").FullName;
        DevSplit = TestData.SplitSubset(Root, "dev", 100);
        ModelDirectory = Path.Combine(Root, "model");
        Progress = new RecordingProgress();
        Manifest = TrainingRun.Run(
            new TrainingRequest
            {
                ImagesDirectory = TestData.Images,
                CaptionsFile = TestData.Captions,
                TrainSplitFile = TestData.SplitSubset(Root, "train", 400),
                DevSplitFile = DevSplit,
                OutputDirectory = ModelDirectory,
                WorkDirectory = Path.Combine(Root, "work"),
                DatasetName = "flickr8k-tiny",
                Version = "tiny-1",
                Options = new TrainingOptions { Decoder = Core.Models.DecoderKinds.ShowAndTell, MinWordCount = 3, MaxEpochs = 5, Patience = 5, BatchSize = 64, EmbeddingSize = 64, HiddenSize = 128, LearningRate = 4e-3, DecayFromEpoch = 10, SelectBy = "cider", SelfCriticalEpochs = 0 },
            },
            Progress);
        _decodingFeatures = new Lazy<float[]>(EncodeDecodingImages);
        DevImages = SplitFile.Select(CaptionFiles.ReadFile(TestData.Captions), SplitFile.Read(DevSplit), "dev");
    }

    public string Root { get; }

    public string ModelDirectory { get; }

    public string DevSplit { get; }

    public IReadOnlyList<CaptionedImage> DevImages { get; }

    public ModelManifest Manifest { get; }

    /// <summary>Encoder features of the first 24 dev images, computed once for the decoding tests.</summary>
    public float[] DecodingFeatures => _decodingFeatures.Value;

    public const int DecodingImages = 24;

    private readonly Lazy<float[]> _decodingFeatures;

    private float[] EncodeDecodingImages()
    {
        using var extractor = new Core.Features.FeatureExtractor();
        var images = DevImages.Take(DecodingImages).ToList();
        var results = new Core.Features.ImageFeaturizer(new Core.Imaging.ImagePreprocessor(), extractor).Featurize(images.Count, i => File.ReadAllBytes(Path.Combine(TestData.Images, images[i].ImageFile)));
        return [.. results.SelectMany(r => r.Features!)];
    }

    public RecordingProgress Progress { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public sealed class RecordingProgress : ITrainingProgress
    {
        public List<string> Phases { get; } = [];

        public List<EpochReport> Epochs { get; } = [];

        public void Phase(Captioner.Training.Orchestration.TrainingJobPhase phase, string detail) => Phases.Add(Core.KebabCase.Of(phase));

        public void Advance(int done, int total, string detail)
        {
        }

        public void Epoch(EpochReport report) => Epochs.Add(report);
    }
}

/// <summary>Test classes that share one tiny trained model (trained once, used serially).</summary>
[CollectionDefinition(Name)]
public sealed class TinyModelGroup : ICollectionFixture<TinyModelFixture>
{
    public const string Name = "tiny trained model";
}
