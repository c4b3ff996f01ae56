using Captioner.Core.Models;
using Captioner.Training.Export;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Captioner.Core.Training;

namespace Captioner.Training.Orchestration.Activities;

/// <summary>Input of <see cref="ExportModelActivity"/>.</summary>
public sealed record ExportModelInput(string JobId, TrainingOptions Options, int ShardSize, string Version, string DatasetName, int BestEpoch, int Epochs, double Seconds);

/// <summary>Result of <see cref="ExportModelActivity"/>: the dev loss of the exported checkpoint and the largest TorchSharp/ONNX difference.</summary>
public sealed record ExportModelResult(double DevLoss, double ParityMaxAbsDiff);

/// <summary>
/// Exports the best checkpoint to the two decoder graphs, checks ONNX Runtime against TorchSharp on dev
/// features (refusing a difference over <see cref="TrainingRun.ParityTolerance"/>), and writes the model
/// folder with its manifest to the job's <c>model/</c> folder.
/// </summary>
public sealed class ExportModelActivity(TrainingWorkspace workspace, ILogger<ExportModelActivity> logger) : TaskActivity<ExportModelInput, ExportModelResult>
{
    public override async Task<ExportModelResult> RunAsync(TaskActivityContext context, ExportModelInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var data = await JobTrainingData.LoadAsync(workspace, input.JobId, input.Options, input.ShardSize, CancellationToken.None).ConfigureAwait(false);
        using var trainer = data.CreateTrainer(input.Options);
        trainer.LoadCheckpoint(await new JobCheckpointStore(workspace, input.JobId).LocalCopyAsync(input.BestEpoch, TrainingChunk.WeightsFile, CancellationToken.None).ConfigureAwait(false));
        var devLoss = trainer.DevLoss();

        var folder = Path.Combine(workspace.Scratch(input.JobId), "export-" + Guid.NewGuid().ToString("N"));
        try
        {
            var record = new TrainingRecord
            {
                Dataset = input.DatasetName,
                TrainImages = data.Dataset.Train.Count,
                TrainCaptions = data.TrainPairs.Count,
                DevImages = data.Dataset.Dev.Count,
                Epochs = input.Epochs,
                BestEpoch = input.BestEpoch,
                Seconds = Math.Round(input.Seconds, 1),
            };
            var manifest = ModelFolderWriter.Write(trainer, data.Vocabulary, input.Options, folder, input.Version, record, devLoss);
            foreach (var file in Directory.GetFiles(folder))
            {
                await workspace.UploadFileAsync(TrainingWorkspace.ModelPrefix(input.JobId) + Path.GetFileName(file), file, CancellationToken.None).ConfigureAwait(false);
            }

            var parity = manifest.Metrics["parityMaxAbsDiff"];
            logger.ModelExported(input.JobId, input.BestEpoch, input.Version, parity);
            return new ExportModelResult(Math.Round(devLoss, 4), parity);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
