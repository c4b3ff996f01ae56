using System.Diagnostics;
using System.Text;
using Captioner.Core.Data;
using Captioner.Core.Features;
using Captioner.Core.Evaluation;
using Captioner.Core.Imaging;
using Captioner.Core.Models;
using Captioner.Core.Vocabulary;
using Captioner.Training.Data;
using Captioner.Training.Export;

namespace Captioner.Training;

/// <summary>
/// A whole local training run: dataset -> vocabulary -> features (cached) -> epochs with early stopping
/// on dev loss -> ONNX export with a parity check -> dev evaluation -> a verified model folder.
/// </summary>
public static class TrainingRun
{
    /// <summary>Largest difference allowed between TorchSharp and ONNX Runtime on the same inputs.</summary>
    public const double ParityTolerance = 1e-4;

    /// <summary>Runs <paramref name="request"/>; returns the written manifest.</summary>
    public static ModelManifest Run(TrainingRequest request, ITrainingProgress progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var options = request.Options;
        var clock = Stopwatch.StartNew();

        progress.Phase("dataset", request.CaptionsFile);
        var all = CaptionsTsv.Read(request.CaptionsFile);
        var train = SplitFile.Select(all, SplitFile.Read(request.TrainSplitFile), "train");
        var dev = SplitFile.Select(all, SplitFile.Read(request.DevSplitFile), "dev");
        if (train.Count == 0 || dev.Count == 0)
        {
            throw new InvalidDataException("Both the train and the dev split need at least one image.");
        }

        progress.Phase("vocabulary", $"minimum count {options.MinWordCount}");
        var vocabulary = CaptionVocabulary.Build(train.SelectMany(image => image.Captions).Select(c => (IReadOnlyList<string>)CaptionTokenizer.Tokenize(c)), options.MinWordCount);

        progress.Phase("features", $"{train.Count + dev.Count} images");
        float[] trainFeatures, devFeatures;
        using (var extractor = new FeatureExtractor(new FeatureExtractorOptions { IntraOpThreads = options.Threads }))
        {
            var featurizer = new ImageFeaturizer(new ImagePreprocessor(), extractor);
            progress.Phase("features", $"{train.Count + dev.Count} images on {extractor.ExecutionProvider}");
            var cacheDirectory = Path.Combine(request.WorkDirectory, "features");
            trainFeatures = FeatureCache.LoadOrExtract(CachePath(cacheDirectory, request.ImagesDirectory, train), request.ImagesDirectory, [.. train.Select(i => i.ImageFile)], featurizer,
                (done, total) => progress.Advance(done, train.Count + dev.Count, "images"));
            devFeatures = FeatureCache.LoadOrExtract(CachePath(cacheDirectory, request.ImagesDirectory, dev), request.ImagesDirectory, [.. dev.Select(i => i.ImageFile)], featurizer,
                (done, total) => progress.Advance(train.Count + done, train.Count + dev.Count, "images"));
        }

        var trainPairs = new CaptionPairs(train, vocabulary, options.MaxWords);
        var devPairs = new CaptionPairs(dev, vocabulary, options.MaxWords);
        using var trainer = new CaptionTrainer(options, vocabulary.Count, trainFeatures, trainPairs, devFeatures, devPairs);
        var checkpoint = Path.Combine(request.WorkDirectory, "checkpoints", $"best-{Environment.ProcessId}-{DateTime.UtcNow:yyyyMMddHHmmss}.bin");
        var selectByCider = options.SelectBy.Equals("cider", StringComparison.OrdinalIgnoreCase);
        if (!selectByCider && !options.SelectBy.Equals("loss", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Unknown selection '{options.SelectBy}': use loss or cider.");
        }

        var references = dev.Select(image => image.Captions).ToList();
        var best = double.PositiveInfinity;
        var bestDevLoss = double.PositiveInfinity;
        var bestEpoch = 0;
        var epochs = 0;
        progress.Phase("training", $"{trainPairs.Count} captions, vocabulary {vocabulary.Count}");
        for (var epoch = 1; epoch <= options.MaxEpochs && epoch - bestEpoch <= options.Patience; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.StartNew();
            var trainLoss = trainer.TrainEpoch(epoch, (step, steps, loss) => progress.Advance(step, steps, FormattableString.Invariant($"epoch {epoch} loss {loss:F3}")));
            var devLoss = trainer.DevLoss();
            CaptionScores? scores = null;
            if (selectByCider)
            {
                scores = CaptionScores.Compute([.. trainer.DevGreedyTokens(options.MaxWords).Select(vocabulary.Decode)], references);
            }

            // Lower is better for both: CIDEr is negated.
            var score = scores is null ? devLoss : -scores.CiderD;
            var improved = score < best;
            if (improved)
            {
                best = score;
                bestDevLoss = devLoss;
                bestEpoch = epoch;
                trainer.SaveCheckpoint(checkpoint);
            }

            epochs = epoch;
            progress.Epoch(new EpochReport(epoch, trainLoss, devLoss, scores?.CiderD, scores?.Bleu4, options.LearningRateAt(epoch), improved, started.Elapsed));
        }

        trainer.LoadCheckpoint(checkpoint);
        File.Delete(checkpoint);

        progress.Phase("export", request.OutputDirectory);
        var record = new TrainingRecord
        {
            Dataset = request.DatasetName,
            TrainImages = train.Count,
            TrainCaptions = trainPairs.Count,
            DevImages = dev.Count,
            Epochs = epochs,
            BestEpoch = bestEpoch,
        };
        var manifest = ModelFolderWriter.Write(
            trainer, vocabulary, options, devFeatures, dev.Count, request.OutputDirectory,
            request.Version ?? $"{request.DatasetName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}", record, bestDevLoss);

        progress.Phase("evaluation", $"{dev.Count} dev images");
        Dictionary<string, double> devScores;
        using (var model = CaptioningModel.LoadFolder(request.OutputDirectory))
        {
            devScores = DevScores.Compute(model, devFeatures, dev);
        }

        return ModelFiles.WriteManifest(request.OutputDirectory, manifest with
        {
            Metrics = new Dictionary<string, double>(manifest.Metrics.Concat(devScores)),
            Training = manifest.Training! with { Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1) },
        });
    }

    private static string CachePath(string directory, string imagesDirectory, IReadOnlyList<CaptionedImage> images)
    {
        var key = ModelFiles.Sha256(Encoding.UTF8.GetBytes(Path.GetFullPath(imagesDirectory) + "\n" + string.Join('\n', images.Select(i => i.ImageFile))));
        return Path.Combine(directory, key[..16] + ".bin");
    }
}
