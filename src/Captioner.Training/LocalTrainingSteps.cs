using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.Core.Models;
using Captioner.Core.Training;
using Captioner.Core.Vocabulary;
using Captioner.Evaluation.Confidence;
using Captioner.Evaluation.Data;
using Captioner.Training.Data;
using Captioner.Training.Export;
using Captioner.Training.Orchestration;

namespace Captioner.Training;

/// <summary>
/// A local run's steps for <see cref="TrainingSequence"/>: captions and images from files, features in a cache folder,
/// checkpoints and progress in a folder named after the run (same data, same options), so running the same command
/// again after a crash resumes from the last epoch's checkpoint.
/// </summary>
internal sealed class LocalTrainingSteps(TrainingRequest request, ITrainingProgress progress, CancellationToken cancellationToken) : ITrainingSteps, IDisposable
{
    private const string ProgressFile = "progress.json";

    private TrainingOptions _options = request.Options;
    private WarmStart.BaseModel? _base;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IReadOnlyList<CaptionedImage> _train = [];
    private IReadOnlyList<CaptionedImage> _dev = [];
    private IReadOnlyDictionary<string, IReadOnlyList<string>> _teacher = new Dictionary<string, IReadOnlyList<string>>();
    private CaptionVocabulary? _vocabulary;
    private ImageFeatureSet? _devFeatures;

    // The training photos (without mirrors) and their pooled features: the reference of the model's familiarity.
    private (IReadOnlyList<CaptionedImage> Images, ReadOnlyMemory<float> Pooled) _reference;
    private CaptionPairs? _trainPairs;
    private CaptionTrainer? _trainer;
    private string _runDirectory = string.Empty;
    private LocalCheckpointStore? _checkpoints;

    /// <summary>The model folder's manifest, once written.</summary>
    public ModelManifest? Manifest { get; private set; }

    public TrainingProgressState Progress { get; private set; } = new();

    public bool HasData => false;

    public Task PrepareDatasetAsync()
    {
        progress.Phase(TrainingJobPhase.Dataset, request.CaptionsFile);

        // The training job's readers: any captions format, and the one split check (names without captions, empty or overlapping splits).
        var all = CaptionFiles.ReadFile(request.CaptionsFile);
        (_train, _dev) = DatasetSplit.Split(all, SplitFile.Read(request.TrainSplitFile), SplitFile.Read(request.DevSplitFile), devFraction: 0);
        if (request.TeacherCaptionsFile is { } teacher)
        {
            _teacher = TeacherCaptions.Read(teacher, _train);
        }

        return Task.CompletedTask;
    }

    public Task BuildVocabularyAsync()
    {
        var tokenized = _train.SelectMany(image => image.Captions).Select(c => (IReadOnlyList<string>)CaptionTokenizer.Tokenize(c));
        if (request.FromModelDirectory is { } from)
        {
            _base = WarmStart.BaseModel.Load(from);
            _options = _base.OptionsFor(request.Options, request.FromMember);
            _vocabulary = _base.Vocabulary.Grow(tokenized, _options.NewWordMinCount);
            progress.Phase(TrainingJobPhase.Vocabulary, WarmStart.VocabularyGrowth.Describe(_base, _vocabulary, _options.NewWordMinCount));
            return Task.CompletedTask;
        }

        progress.Phase(TrainingJobPhase.Vocabulary, $"minimum count {_options.MinWordCount}");
        _vocabulary = CaptionVocabulary.Build(tokenized, _options.MinWordCount);
        return Task.CompletedTask;
    }

    public Task ExtractFeaturesAsync()
    {
        var (train, dev) = (_train, _dev);
        var total = train.Count + dev.Count;
        progress.Phase(TrainingJobPhase.Features, $"{total} images");
        ImageFeatureSet trainFeatures, devFeatures;
        using (var extractor = new FeatureExtractor(new FeatureExtractorOptions { IntraOpThreads = _options.Threads, Precision = TrainingFeatures.Precision }))
        {
            var featurizer = new ImageFeaturizer(new ImagePreprocessor(), extractor);
            progress.Phase(TrainingJobPhase.Features, $"{total} images on {extractor.ExecutionProvider}");
            var cacheDirectory = Path.Combine(request.WorkDirectory, "features");
            trainFeatures = FeatureCache.LoadOrExtract(CachePath(cacheDirectory, train), request.ImagesDirectory, [.. train.Select(i => i.ImageFile)], featurizer,
                (done, _) => progress.Advance(done, total, "images"));
            devFeatures = FeatureCache.LoadOrExtract(CachePath(cacheDirectory, dev), request.ImagesDirectory, [.. dev.Select(i => i.ImageFile)], featurizer,
                (done, _) => progress.Advance(train.Count + done, total, "images"));
            if (_options.FlipImages)
            {
                progress.Phase(TrainingJobPhase.Features, $"{train.Count} flipped training images on {extractor.ExecutionProvider}");
                var mirrors = FeatureCache.LoadOrExtract(CachePath(cacheDirectory, train, mirrored: true), request.ImagesDirectory, [.. train.Select(i => i.ImageFile)], featurizer,
                    (done, all) => progress.Advance(done, all, "images"), mirrored: true);
                trainFeatures = ImageFeatureSet.Concat([trainFeatures, mirrors]);
            }
        }

        // With flipped images, the training set holds the originals then their mirrors; the vocabulary came from the
        // originals. Teacher captions are targets only: the reward's references (_train) stay human.
        var vocabulary = _vocabulary!;
        var targets = TeacherCaptions.Append(train, _teacher);
        _train = _options.FlipImages ? MirroredImages.WithMirrors(train) : train;
        _trainPairs = new CaptionPairs(_options.FlipImages ? MirroredImages.WithMirrors(targets) : targets, vocabulary, _options.MaxWords);
        _devFeatures = devFeatures;
        _reference = (train, trainFeatures.Pooled.AsMemory(0, train.Count * EncoderIdentity.FeatureSize));
        _trainer = new CaptionTrainer(_options, vocabulary, trainFeatures, _train, _trainPairs, devFeatures, new CaptionPairs(dev, vocabulary, _options.MaxWords), _base?.Members[request.FromMember]);

        // Checkpoints and progress of this exact run (same data, same options) live in one folder, so a rerun resumes.
        _runDirectory = Path.Combine(request.WorkDirectory, "runs", RunKey(train, dev));
        _checkpoints = new LocalCheckpointStore(_runDirectory);
        Progress = LoadProgress(_runDirectory);
        foreach (var epoch in Progress.History)
        {
            progress.Epoch(Report(epoch, improved: epoch.Epoch == Progress.BestEpoch));
        }

        progress.Phase(TrainingJobPhase.Training, $"{_trainPairs.Count} captions, vocabulary {vocabulary.Count}, {_options.Decoder}" + (Progress.LastEpoch > 0 ? $", resuming after epoch {Progress.LastEpoch}" : string.Empty));
        return Task.CompletedTask;
    }

    public async Task TrainChunkAsync(TrainingChunkPlan plan)
    {
        if (plan.Phase == EpochPhase.SelfCritical && plan.FreshOptimizer)
        {
            progress.Phase(TrainingJobPhase.Training, $"self-critical from epoch {plan.ResumeFromEpoch}, {_options.SelfCriticalEpochs} epochs of CIDEr-D rewards");
        }

        var metrics = await TrainingChunk.RunAsync(
            _trainer!, plan, _options, _checkpoints!, _vocabulary!, _dev, Path.Combine(_runDirectory, "scratch"),
            (step, steps, detail) => progress.Advance(step, steps, detail), cancellationToken).ConfigureAwait(false);
        Progress = Progress.Apply(metrics, _options);
        SaveProgress(_runDirectory, Progress);
        foreach (var epoch in metrics)
        {
            progress.Epoch(Report(epoch, improved: epoch.Epoch == Progress.BestEpoch));
        }
    }

    public async Task ExportAsync()
    {
        _trainer!.LoadCheckpoint(await _checkpoints!.LocalCopyAsync(Progress.BestEpoch, TrainingChunk.WeightsFile, cancellationToken).ConfigureAwait(false));
        progress.Phase(TrainingJobPhase.Export, request.OutputDirectory);
        var record = new TrainingRecord
        {
            Dataset = request.DatasetName,
            // With flipped images the training set holds each photo twice: the record counts the photos.
            TrainImages = _options.FlipImages ? _train.Count / 2 : _train.Count,
            TrainCaptions = _train.Take(_options.FlipImages ? _train.Count / 2 : _train.Count).Sum(image => image.Captions.Count),
            TeacherCaptions = _teacher.Count == 0 ? null : _teacher.Values.Sum(captions => captions.Count),
            DevImages = _dev.Count,
            From = _base?.Manifest.Version,
            NewWords = _base is null ? null : [.. _vocabulary!.Words.Skip(_base.Vocabulary.Count)],
            Epochs = Progress.LastEpoch,
            BestEpoch = Progress.BestEpoch,
        };
        Manifest = ModelFolderWriter.Write(
            _trainer, _vocabulary!, _options, request.OutputDirectory,
            request.Version ?? $"{request.DatasetName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}", record, Progress.Best!.DevLoss);
    }

    public Task EvaluateAsync()
    {
        progress.Phase(TrainingJobPhase.Evaluation, $"{_dev.Count} dev images");
        Dictionary<string, double> devScores;
        using (var model = CaptioningModel.LoadFolder(request.OutputDirectory))
        {
            devScores = DevScores.Compute(model, _devFeatures!, _dev);
        }

        var manifest = Manifest!;
        ModelFiles.WriteManifest(request.OutputDirectory, manifest with
        {
            Metrics = new Dictionary<string, double>(manifest.Metrics.Concat(devScores)),
            Training = manifest.Training! with { Seconds = Math.Round(_clock.Elapsed.TotalSeconds, 1) },
        });
        // A fine-tuned model knows the base's photos and the new ones: its familiarity compares with both.
        var (referencePooled, referenceImages) = _base is null ? (_reference.Pooled.ToArray(), _reference.Images) : _base.ReferenceWith(_reference.Pooled.Span, _reference.Images);
        Manifest = ConfidenceFitter.FitFolder(
            request.OutputDirectory, referencePooled, referenceImages, _devFeatures!.Pooled, _devFeatures.Maps, _dev,
            $"{referenceImages.Count} training photos ({(_base is null ? request.DatasetName : $"{_base.Manifest.Version}'s and {_reference.Images.Count} of {request.DatasetName}")}), threshold and calibration on {_dev.Count} dev photos").Manifest;
        return Task.CompletedTask;
    }

    public Task PublishAsync()
    {
        // The model folder is the local run's publication: its checkpoints are done with.
        Directory.Delete(_runDirectory, recursive: true);
        return Task.CompletedTask;
    }

    public void Dispose() => _trainer?.Dispose();

    private static EpochReport Report(EpochMetrics epoch, bool improved) =>
        new(epoch.Epoch, epoch.TrainLoss, epoch.DevLoss, epoch.DevCider, epoch.DevBleu4, epoch.LearningRate, improved, TimeSpan.FromSeconds(epoch.Seconds))
        {
            Phase = epoch.Phase,
            Reward = epoch.Reward,
            Baseline = epoch.Baseline,
        };

    private static TrainingProgressState LoadProgress(string directory)
    {
        var path = Path.Combine(directory, ProgressFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<TrainingProgressState>(File.ReadAllText(path)) ?? new() : new();
    }

    private static void SaveProgress(string directory, TrainingProgressState state)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ProgressFile);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(state));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>
    /// Names a run by what decides its results: the options, the data files and the splits. Threads and the
    /// self-critical settings are left out, so a run can be resumed on other threads, and its cross-entropy
    /// epochs reused when the self-critical phase is extended or retuned.
    /// </summary>
    private string RunKey(IReadOnlyList<CaptionedImage> train, IReadOnlyList<CaptionedImage> dev)
    {
        var optionsJson = JsonSerializer.SerializeToNode(_options)!.AsObject();
        optionsJson.Remove(nameof(TrainingOptions.Threads));
        foreach (var name in optionsJson.Select(p => p.Key).Where(k => k.StartsWith("SelfCritical", StringComparison.Ordinal)).ToList())
        {
            optionsJson.Remove(name);
        }

        var key = string.Join('\n', optionsJson.ToJsonString(), Path.GetFullPath(request.ImagesDirectory), Path.GetFullPath(request.CaptionsFile), new FileInfo(request.CaptionsFile).Length,
            string.Join(',', train.Select(i => i.ImageFile)), string.Join(',', dev.Select(i => i.ImageFile)));

        // A base model (and which of its decoders) makes another run too.
        if (_base is not null)
        {
            key += $"\nfrom {_base.Identity} member {request.FromMember}";
        }

        // A teacher's captions make another run; without them the key is what it was, so older runs still resume.
        if (request.TeacherCaptionsFile is { } teacher)
        {
            key += $"\nteacher {Path.GetFullPath(teacher)}:{new FileInfo(teacher).Length}";
        }

        return ModelFiles.Sha256(Encoding.UTF8.GetBytes(key))[..16];
    }

    private string CachePath(string directory, IReadOnlyList<CaptionedImage> images, bool mirrored = false)
    {
        var key = ModelFiles.Sha256(Encoding.UTF8.GetBytes(Path.GetFullPath(request.ImagesDirectory) + "\n" + string.Join('\n', images.Select(i => i.ImageFile))));
        return Path.Combine(directory, key[..16] + (mirrored ? "-mirrored" : string.Empty) + ".bin");
    }
}
