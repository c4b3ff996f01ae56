using Captioner.Core.Confidence;
using Captioner.Core.Decoding;
using Captioner.Evaluation.Confidence;
using Captioner.Evaluation.Scoring;
using Captioner.Core.Models;
using Captioner.Training.Export;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Captioner.Training.Orchestration.Activities;

/// <summary>Input of <see cref="EvaluateModelActivity"/>.</summary>
public sealed record EvaluateModelInput(string JobId, int ShardSize);

/// <summary>Dev scores of the new model, and the current model's greedy CIDEr-D on the same dev features (null when there is none or it cannot be scored).</summary>
public sealed record EvaluateModelResult(IReadOnlyDictionary<string, double> Metrics, string? CurrentVersion, double? CurrentCider);

/// <summary>
/// Scores the exported model through ONNX Runtime on the dev split (greedy and beam 3: BLEU-1..4 and
/// CIDEr-D), records them in its manifest, and scores the current model on the same features so the
/// promotion compares like with like.
/// </summary>
public sealed class EvaluateModelActivity(TrainingWorkspace workspace, ILogger<EvaluateModelActivity> logger) : TaskActivity<EvaluateModelInput, EvaluateModelResult>
{
    public override async Task<EvaluateModelResult> RunAsync(TaskActivityContext context, EvaluateModelInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var dataset = await workspace.LoadDatasetAsync(input.JobId, CancellationToken.None).ConfigureAwait(false);
        var devFeatures = await workspace.LoadFeaturesAsync(input.JobId, dataset, "dev", input.ShardSize, CancellationToken.None).ConfigureAwait(false);
        var folder = await ModelFolder.DownloadAsync(workspace, input.JobId).ConfigureAwait(false);
        try
        {
            Dictionary<string, double> metrics;
            ModelManifest manifest;
            using (var model = CaptioningModel.LoadFolder(folder))
            {
                manifest = model.Manifest;
                metrics = DevScores.Compute(model, devFeatures, dataset.Dev);
            }

            foreach (var (name, value) in manifest.Metrics)
            {
                metrics.TryAdd(name, value);
            }

            ModelFiles.WriteManifest(folder, manifest with { Metrics = metrics });

            // Familiarity and confidence: the training photos as the reference, the dev split for threshold and calibration.
            var trainPooled = await workspace.LoadPooledFeaturesAsync(input.JobId, dataset, "train", input.ShardSize, CancellationToken.None).ConfigureAwait(false);
            ConfidenceFitter.FitFolder(folder, trainPooled, dataset.Train, devFeatures.Pooled, devFeatures.Maps, dataset.Dev, $"{dataset.Train.Count} training photos, threshold and calibration on {dataset.Dev.Count} dev photos (job {input.JobId})");
            await workspace.UploadFileAsync(TrainingWorkspace.ModelPrefix(input.JobId) + ConfidenceFile.FileName, Path.Combine(folder, ConfidenceFile.FileName), CancellationToken.None).ConfigureAwait(false);
            await workspace.UploadFileAsync(TrainingWorkspace.ModelPrefix(input.JobId) + ModelFiles.Manifest, Path.Combine(folder, ModelFiles.Manifest), CancellationToken.None).ConfigureAwait(false);

            var (currentVersion, currentCider) = await ScoreCurrentAsync(devFeatures, dataset, manifest).ConfigureAwait(false);
            logger.ModelEvaluated(input.JobId, metrics["greedy.bleu4"], metrics["greedy.cider"], currentVersion ?? "(none)", currentCider);
            return new EvaluateModelResult(metrics, currentVersion, currentCider);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<(string? Version, double? Cider)> ScoreCurrentAsync(Data.ImageFeatureSet devFeatures, PreparedDataset dataset, ModelManifest candidate)
    {
        if (await workspace.Models.GetCurrentAsync().ConfigureAwait(false) is not { } pointer)
        {
            return (null, null);
        }

        using var current = await workspace.Models.LoadAsync(pointer.Version).ConfigureAwait(false);
        if (current.Manifest.Encoder != candidate.Encoder)
        {
            // Features of another encoder mean nothing to this model: it cannot be scored here.
            return (pointer.Version, null);
        }

        return (pointer.Version, Math.Round(ModelEvaluator.Evaluate(current, devFeatures.InputFor(current.Manifest.Decoder.UsesMap), dataset.Dev, DecodingOptions.Greedy).CiderD, 4));
    }
}
