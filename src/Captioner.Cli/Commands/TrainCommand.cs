using Captioner.Training.Orchestration;
using Captioner.Core;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Captioner.Cli.Terminal;
using Captioner.Training;
using Captioner.Core.Training;

namespace Captioner.Cli.Commands;

/// <summary><c>train</c>: trains a model folder on local images and a captions file.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };
        var images = Required("--images", "Folder of the images named in the captions file.");
        var captions = Required("--captions", "Captions file: image_file<TAB>caption lines, Flickr8k's token file or COCO captions JSON.");
        var trainSplit = Required("--train-split", "File of training image names, one per line.");
        var devSplit = Required("--dev-split", "File of dev image names (early stopping and the reported scores).");
        var output = new Option<string?>("--out") { Description = "Model folder to write (local training)." };
        var remote = new Option<bool>("--remote") { Description = "Train on the running stack: upload the dataset to its training container, start the durable training job, follow it." };
        var force = new Option<bool>("--force") { Description = "With --remote: make the new model current even if its dev CIDEr-D is below the current model's." };
        var work = new Option<string>("--work-dir") { Description = "Feature cache and checkpoints.", DefaultValueFactory = _ => DefaultWorkDirectory() };
        var version = new Option<string?>("--version") { Description = "Model version to record (default: dataset name and time)." };
        var teacher = new Option<string?>("--teacher-captions") { Description = "A teacher's captions of training images (eval --write-captions writes them): extra cross-entropy targets (distillation); rewards and dev scores stay human. Local training only." };
        var dataset = new Option<string>("--dataset-name") { Description = "Dataset name for the manifest.", DefaultValueFactory = _ => "custom" };
        var from = new Option<string?>("--from") { Description = "Fine-tune: start from this model folder (its weights and vocabulary, grown by the new captions' words) with the fine-tuning defaults (learning rate 5e-4, 8 epochs); an ensemble is fine-tuned decoder by decoder and joined again." };
        var flags = new TrainingFlags();

        var command = new Command("train", "Train a captioning model and write it as a model folder (or, with --remote, as a durable job on the running stack).");
        command.AddOptions([images, captions, trainSplit, devSplit, output, remote, force, work, version, dataset, teacher, from, .. flags.Options]);

        var api = StackApi.AddTo(command);
        var stack = StackStorage.AddTo(command);

        command.SetAction(async (result, cancellationToken) =>
        {
            var request = new TrainingRequest
            {
                ImagesDirectory = result.GetValue(images)!,
                CaptionsFile = result.GetValue(captions)!,
                TrainSplitFile = result.GetValue(trainSplit)!,
                DevSplitFile = result.GetValue(devSplit)!,
                OutputDirectory = result.GetValue(output) ?? string.Empty,
                WorkDirectory = result.GetValue(work)!,
                Version = result.GetValue(version),
                DatasetName = result.GetValue(dataset)!,
                TeacherCaptionsFile = result.GetValue(teacher),
                FromModelDirectory = result.GetValue(from),
                Options = flags.Read(result, result.GetValue(from) is null ? null : TrainingOptions.FineTuning()),
            };
            // Every option in its range before any work, locally or on the stack (the same checks the API makes).
            if ((TrainingRequestFields.DatasetNameProblem(request.DatasetName) ?? TrainingRequestFields.VersionProblem(request.Version)) is { } nameProblem)
            {
                System.Console.Error.WriteLine($"error: {nameProblem.Replace("'datasetName'", "--dataset-name", StringComparison.Ordinal).Replace("'version'", "--version", StringComparison.Ordinal)}");
                return 2;
            }

            if (request.Options.Validate() is { } problem)
            {
                System.Console.Error.WriteLine($"error: {flags.InFlags(problem)}");
                return 2;
            }

            try
            {
                if (result.GetValue(remote))
                {
                    if (request.TeacherCaptionsFile is not null)
                    {
                        System.Console.Error.WriteLine("error: --teacher-captions is for local training; the training job reads human captions only.");
                        return 2;
                    }

                    using var http = api.CreateClient(result);
                    return await TrainingCommand.Reaching(api.Address(result), () => RemoteTraining.RunAsync(request, result.GetValue(force), stack.Clients(result), http, cancellationToken)).ConfigureAwait(false);
                }

                if (request.OutputDirectory.Length == 0)
                {
                    System.Console.Error.WriteLine("error: --out is required (or --remote to train on the running stack).");
                    return 2;
                }

                var manifest = TrainingRun.Run(request, new ConsoleTrainingProgress(), cancellationToken);
                System.Console.WriteLine($"model {manifest.Version} written to {request.OutputDirectory}");
                foreach (var (name, value) in manifest.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name} {value:G6}"));
                }

                return 0;
            }
            catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or DirectoryNotFoundException or JsonException or Core.Models.ModelLoadException)
            {
                System.Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    private static string DefaultWorkDirectory() =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "captioner");

    private sealed class ConsoleTrainingProgress : ITrainingProgress
    {
        private readonly ProgressBar _bar = new();

        public void Phase(TrainingJobPhase phase, string detail)
        {
            var name = KebabCase.Of(phase);
            _bar.Finish();
            System.Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: {detail}");
            _bar.Start(name);
        }

        public void Advance(int done, int total, string detail) => _bar.Report(done, total, detail);

        public void Epoch(EpochReport report)
        {
            _bar.Finish();
            var loss = report.Reward is { } reward ? FormattableString.Invariant($"reward {reward:F4} (baseline {report.Baseline:F4})") : FormattableString.Invariant($"train loss {report.TrainLoss:F4}");
            System.Console.WriteLine(FormattableString.Invariant(
                $"epoch {report.Epoch,2}  {loss}  dev loss {report.DevLoss:F4}{(report.DevCider is { } cider ? $"  dev greedy CIDEr-D {cider:F4} BLEU-4 {report.DevBleu4:F4}" : string.Empty)}{(report.Improved ? " *" : "  ")}  lr {report.LearningRate:G3}  {report.Elapsed.TotalSeconds:F0}s"));
            _bar.Start("training");
        }
    }
}
