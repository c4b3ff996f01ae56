using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Captioner.Evaluation.Data;
using Captioner.Core.Features;
using Captioner.Evaluation.Scoring;
using Captioner.Core.Imaging;
using Captioner.Core.Models;
using Captioner.Core.Vocabulary;
using Captioner.Training.Data;
using Captioner.Training.Export;
using Captioner.Training.Orchestration;
using Captioner.Core.Training;

namespace Captioner.Training;

/// <summary>
/// A whole local training run: dataset -> vocabulary -> features (cached) -> the chunked trainer the
/// training job runs, one epoch per chunk (cross-entropy with early stopping, then the self-critical
/// phase when asked) with checkpoints in the work folder -> ONNX export with a parity check -> dev
/// evaluation -> a verified model folder. Run the same command again after a crash and it resumes from
/// the last epoch's checkpoint.
/// </summary>
public static class TrainingRun
{
    /// <summary>Largest difference allowed between TorchSharp and ONNX Runtime on the same inputs.</summary>
    public const double ParityTolerance = 1e-4;

    private const string ProgressFile = "progress.json";

    /// <summary>Runs <paramref name="request"/>; returns the written manifest.</summary>
    public static ModelManifest Run(TrainingRequest request, ITrainingProgress progress, CancellationToken cancellationToken = default) =>
        RunAsync(request, progress, cancellationToken).GetAwaiter().GetResult();

    private static async Task<ModelManifest> RunAsync(TrainingRequest request, ITrainingProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var options = request.Options;
        var clock = Stopwatch.StartNew();
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        progress.Phase(TrainingJobPhase.Dataset, request.CaptionsFile);
        // The training job's readers: any captions format, and the one split check (names without captions, empty or overlapping splits).
        var all = CaptionFiles.ReadFile(request.CaptionsFile);
        var (train, dev) = DatasetSplit.Split(all, SplitFile.Read(request.TrainSplitFile), SplitFile.Read(request.DevSplitFile), devFraction: 0);

        progress.Phase(TrainingJobPhase.Vocabulary, $"minimum count {options.MinWordCount}");
        var vocabulary = CaptionVocabulary.Build(train.SelectMany(image => image.Captions).Select(c => (IReadOnlyList<string>)CaptionTokenizer.Tokenize(c)), options.MinWordCount);

        var trainImages = train.Count;
        progress.Phase(TrainingJobPhase.Features, $"{train.Count + dev.Count} images");
        ImageFeatureSet trainFeatures, devFeatures;
        using (var extractor = new FeatureExtractor(new FeatureExtractorOptions { IntraOpThreads = options.Threads, Precision = TrainingFeatures.Precision }))
        {
            var featurizer = new ImageFeaturizer(new ImagePreprocessor(), extractor);
            progress.Phase(TrainingJobPhase.Features, $"{train.Count + dev.Count} images on {extractor.ExecutionProvider}");
            var cacheDirectory = Path.Combine(request.WorkDirectory, "features");
            trainFeatures = FeatureCache.LoadOrExtract(CachePath(cacheDirectory, request.ImagesDirectory, train), request.ImagesDirectory, [.. train.Select(i => i.ImageFile)], featurizer,
                (done, total) => progress.Advance(done, train.Count + dev.Count, "images"));
            devFeatures = FeatureCache.LoadOrExtract(CachePath(cacheDirectory, request.ImagesDirectory, dev), request.ImagesDirectory, [.. dev.Select(i => i.ImageFile)], featurizer,
                (done, total) => progress.Advance(train.Count + done, train.Count + dev.Count, "images"));
            if (options.FlipImages)
            {
                progress.Phase(TrainingJobPhase.Features, $"{train.Count} flipped training images on {extractor.ExecutionProvider}");
                var mirrors = FeatureCache.LoadOrExtract(CachePath(cacheDirectory, request.ImagesDirectory, train, mirrored: true), request.ImagesDirectory, [.. train.Select(i => i.ImageFile)], featurizer,
                    (done, total) => progress.Advance(done, total, "images"), mirrored: true);
                trainFeatures = ImageFeatureSet.Concat([trainFeatures, mirrors]);
                train = MirroredImages.WithMirrors(train);
            }
        }

        // With flipped images, train holds the originals then their mirrors; the vocabulary came from the originals.
        var trainPairs = new CaptionPairs(train, vocabulary, options.MaxWords);
        var devPairs = new CaptionPairs(dev, vocabulary, options.MaxWords);
        using var trainer = new CaptionTrainer(options, vocabulary, trainFeatures, train, trainPairs, devFeatures, devPairs);

        // Checkpoints and progress of this exact run (same data, same options) live in one folder, so a rerun resumes.
        var runDirectory = Path.Combine(request.WorkDirectory, "runs", RunKey(request, train, dev));
        var checkpoints = new LocalCheckpointStore(runDirectory);
        var state = LoadProgress(runDirectory);
        foreach (var epoch in state.History)
        {
            progress.Epoch(Report(epoch, improved: epoch.Epoch == state.BestEpoch));
        }

        progress.Phase(TrainingJobPhase.Training, $"{trainPairs.Count} captions, vocabulary {vocabulary.Count}, {options.Decoder}" + (state.LastEpoch > 0 ? $", resuming after epoch {state.LastEpoch}" : string.Empty));
        while (state.NextChunk(options, epochsPerChunk: 1) is { } plan)
        {
            if (plan.Phase == EpochPhase.SelfCritical && plan.FreshOptimizer)
            {
                progress.Phase(TrainingJobPhase.Training, $"self-critical from epoch {plan.ResumeFromEpoch}, {options.SelfCriticalEpochs} epochs of CIDEr-D rewards");
            }

            var metrics = await TrainingChunk.RunAsync(
                trainer, plan, options, checkpoints, vocabulary, dev, Path.Combine(runDirectory, "scratch"),
                (step, steps, detail) => progress.Advance(step, steps, detail), cancellationToken).ConfigureAwait(false);
            state = state.Apply(metrics, options);
            SaveProgress(runDirectory, state);
            foreach (var epoch in metrics)
            {
                progress.Epoch(Report(epoch, improved: epoch.Epoch == state.BestEpoch));
            }
        }

        trainer.LoadCheckpoint(await checkpoints.LocalCopyAsync(state.BestEpoch, TrainingChunk.WeightsFile, cancellationToken).ConfigureAwait(false));
        progress.Phase(TrainingJobPhase.Export, request.OutputDirectory);
        var record = new TrainingRecord
        {
            Dataset = request.DatasetName,
            TrainImages = trainImages,
            TrainCaptions = options.FlipImages ? trainPairs.Count / 2 : trainPairs.Count,
            DevImages = dev.Count,
            Epochs = state.LastEpoch,
            BestEpoch = state.BestEpoch,
        };
        var manifest = ModelFolderWriter.Write(
            trainer, vocabulary, options, request.OutputDirectory,
            request.Version ?? $"{request.DatasetName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}", record, state.Best!.DevLoss);

        progress.Phase(TrainingJobPhase.Evaluation, $"{dev.Count} dev images");
        Dictionary<string, double> devScores;
        using (var model = CaptioningModel.LoadFolder(request.OutputDirectory))
        {
            devScores = DevScores.Compute(model, devFeatures, dev);
        }

        var written = ModelFiles.WriteManifest(request.OutputDirectory, manifest with
        {
            Metrics = new Dictionary<string, double>(manifest.Metrics.Concat(devScores)),
            Training = manifest.Training! with { Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1) },
        });
        Directory.Delete(runDirectory, recursive: true);
        return written;
    }

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
    private static string RunKey(TrainingRequest request, IReadOnlyList<CaptionedImage> train, IReadOnlyList<CaptionedImage> dev)
    {
        var optionsJson = JsonSerializer.SerializeToNode(request.Options)!.AsObject();
        optionsJson.Remove(nameof(TrainingOptions.Threads));
        foreach (var name in optionsJson.Select(p => p.Key).Where(k => k.StartsWith("SelfCritical", StringComparison.Ordinal)).ToList())
        {
            optionsJson.Remove(name);
        }

        var options = optionsJson.ToJsonString();
        var key = string.Join('\n', options, Path.GetFullPath(request.ImagesDirectory), Path.GetFullPath(request.CaptionsFile), new FileInfo(request.CaptionsFile).Length,
            string.Join(',', train.Select(i => i.ImageFile)), string.Join(',', dev.Select(i => i.ImageFile)));
        return ModelFiles.Sha256(Encoding.UTF8.GetBytes(key))[..16];
    }

    private static string CachePath(string directory, string imagesDirectory, IReadOnlyList<CaptionedImage> images, bool mirrored = false)
    {
        var key = ModelFiles.Sha256(Encoding.UTF8.GetBytes(Path.GetFullPath(imagesDirectory) + "\n" + string.Join('\n', images.Select(i => i.ImageFile))));
        return Path.Combine(directory, key[..16] + (mirrored ? "-mirrored" : string.Empty) + ".bin");
    }
}
