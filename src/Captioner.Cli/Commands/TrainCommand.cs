using Captioner.Training.Orchestration;
using Captioner.Core;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Captioner.Cli.Terminal;
using Captioner.Training;
using Captioner.Core.Training;

namespace Captioner.Cli.Commands;

/// <summary><c>train</c>: trains a model folder on local images and a captions TSV.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new TrainingOptions();
        Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };
        var images = Required("--images", "Folder of the images named in the captions file.");
        var captions = Required("--captions", "Captions TSV: image_file<TAB>caption per line.");
        var trainSplit = Required("--train-split", "File of training image names, one per line.");
        var devSplit = Required("--dev-split", "File of dev image names (early stopping and the reported scores).");
        var output = new Option<string?>("--out") { Description = "Model folder to write (local training)." };
        var remote = new Option<bool>("--remote") { Description = "Train on the running stack: upload the dataset to its training container, start the durable training job, follow it." };
        var force = new Option<bool>("--force") { Description = "With --remote: make the new model current even if its dev CIDEr-D is below the current model's." };
        var work = new Option<string>("--work-dir") { Description = "Feature cache and checkpoints.", DefaultValueFactory = _ => DefaultWorkDirectory() };
        var version = new Option<string?>("--version") { Description = "Model version to record (default: dataset name and time)." };
        var dataset = new Option<string>("--dataset-name") { Description = "Dataset name for the manifest.", DefaultValueFactory = _ => "custom" };
        var decoder = new Option<string>("--decoder") { DefaultValueFactory = _ => defaults.Decoder, Description = "Decoder kind: soft-attention (attends to the 49 image regions) or show-and-tell (pooled features)." };
        decoder.AcceptOnlyFromAmong([.. Core.Models.DecoderKinds.All]);
        var attention = new Option<int>("--attention-size") { DefaultValueFactory = _ => defaults.AttentionSize, Description = "Attention projection size (soft-attention)." };
        var selfCritical = new Option<int>("--self-critical-epochs") { DefaultValueFactory = _ => defaults.SelfCriticalEpochs, Description = "Self-critical (CIDEr-D reward) epochs after cross-entropy; 0: none." };
        var selfCriticalRate = new Option<double>("--self-critical-lr") { DefaultValueFactory = _ => defaults.SelfCriticalLearningRate, Description = "Adam learning rate of the self-critical phase." };
        var selfCriticalBaseline = new Option<string>("--self-critical-baseline") { DefaultValueFactory = _ => defaults.SelfCriticalBaseline, Description = "Self-critical baseline: greedy (the greedy caption's reward) or samples (the mean of the other samples' rewards)." };
        selfCriticalBaseline.AcceptOnlyFromAmong(SelfCriticalBaselines.Greedy, SelfCriticalBaselines.Samples);
        var selfCriticalBatch = new Option<int>("--self-critical-batch") { DefaultValueFactory = _ => defaults.SelfCriticalImagesPerBatch, Description = "Images per step of the self-critical phase." };
        var embedding = new Option<int>("--embedding") { DefaultValueFactory = _ => defaults.EmbeddingSize, Description = "Word embedding size." };
        var hidden = new Option<int>("--hidden") { DefaultValueFactory = _ => defaults.HiddenSize, Description = "LSTM size." };
        var dropout = new Option<double>("--dropout") { DefaultValueFactory = _ => defaults.Dropout, Description = "Dropout rate." };
        var featureDropout = new Option<double>("--feature-dropout") { DefaultValueFactory = _ => defaults.FeatureDropout, Description = "Dropout on image features." };
        var smoothing = new Option<double>("--label-smoothing") { DefaultValueFactory = _ => defaults.LabelSmoothing, Description = "Label smoothing of the training loss." };
        var flip = new Option<bool>("--flip-images") { Description = "Also train on the photos flipped left to right (\"left\" and \"right\" swapped in their captions), each epoch one side at random." };
        var minCount = new Option<int>("--min-count") { DefaultValueFactory = _ => defaults.MinWordCount, Description = "Minimum word count for the vocabulary." };
        var rate = new Option<double>("--lr") { DefaultValueFactory = _ => defaults.LearningRate, Description = "Adam learning rate." };
        var decay = new Option<double>("--lr-decay") { DefaultValueFactory = _ => defaults.LearningRateDecay, Description = "Learning rate factor per epoch." };
        var decayFrom = new Option<int>("--decay-from") { DefaultValueFactory = _ => defaults.DecayFromEpoch, Description = "First epoch with a decayed learning rate." };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => defaults.BatchSize, Description = "Captions per step." };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => defaults.MaxEpochs, Description = "Most epochs." };
        var patience = new Option<int>("--patience") { DefaultValueFactory = _ => defaults.Patience, Description = "Epochs without a better dev loss before stopping." };
        var selectBy = new Option<string>("--select-by") { DefaultValueFactory = _ => defaults.SelectBy, Description = "Dev score that picks the checkpoint and stops early: loss or cider." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => defaults.Seed, Description = "Random seed." };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => defaults.Threads, Description = "CPU threads (0: all)." };

        var command = new Command("train", "Train a captioning model and write it as a model folder (or, with --remote, as a durable job on the running stack).");
        foreach (var option in new Option[] { images, captions, trainSplit, devSplit, output, remote, force, work, version, dataset, decoder, attention, selfCritical, selfCriticalRate, selfCriticalBaseline, selfCriticalBatch, embedding, hidden, dropout, featureDropout, smoothing, flip, minCount, rate, decay, decayFrom, batch, epochs, patience, selectBy, seed, threads })
        {
            command.Options.Add(option);
        }

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
                Options = new TrainingOptions
                {
                    Decoder = result.GetValue(decoder)!,
                    AttentionSize = result.GetValue(attention),
                    SelfCriticalEpochs = result.GetValue(selfCritical),
                    SelfCriticalLearningRate = result.GetValue(selfCriticalRate),
                    SelfCriticalImagesPerBatch = result.GetValue(selfCriticalBatch),
                    SelfCriticalBaseline = result.GetValue(selfCriticalBaseline)!,
                    EmbeddingSize = result.GetValue(embedding),
                    HiddenSize = result.GetValue(hidden),
                    Dropout = result.GetValue(dropout),
                    FeatureDropout = result.GetValue(featureDropout),
                    LabelSmoothing = result.GetValue(smoothing),
                    FlipImages = result.GetValue(flip),
                    MinWordCount = result.GetValue(minCount),
                    LearningRate = result.GetValue(rate),
                    LearningRateDecay = result.GetValue(decay),
                    DecayFromEpoch = result.GetValue(decayFrom),
                    BatchSize = result.GetValue(batch),
                    MaxEpochs = result.GetValue(epochs),
                    Patience = result.GetValue(patience),
                    SelectBy = result.GetValue(selectBy)!,
                    Seed = result.GetValue(seed),
                    Threads = result.GetValue(threads),
                },
            };
            // Every option in its range before any work, locally or on the stack (the same check the API makes).
            if (TrainingOptionsValidator.Problem(request.Options) is { } problem)
            {
                System.Console.Error.WriteLine($"error: {OptionNames.Aggregate(problem, (text, names) => text.Replace($"'{names.Json}'", names.Flag, StringComparison.Ordinal))}");
                return 2;
            }

            try
            {
                if (result.GetValue(remote))
                {
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
            catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or DirectoryNotFoundException or JsonException)
            {
                System.Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    // The validator names options as the API's JSON does; the CLI user typed these flags.
    private static readonly (string Json, string Flag)[] OptionNames =
    [
        ("decoder", "--decoder"), ("attentionSize", "--attention-size"), ("embeddingSize", "--embedding"), ("hiddenSize", "--hidden"),
        ("dropout", "--dropout"), ("featureDropout", "--feature-dropout"), ("labelSmoothing", "--label-smoothing"), ("minWordCount", "--min-count"),
        ("learningRate", "--lr"), ("learningRateDecay", "--lr-decay"), ("decayFromEpoch", "--decay-from"), ("batchSize", "--batch"),
        ("maxEpochs", "--epochs"), ("patience", "--patience"), ("selectBy", "--select-by"), ("selfCriticalEpochs", "--self-critical-epochs"),
        ("selfCriticalLearningRate", "--self-critical-lr"), ("selfCriticalBaseline", "--self-critical-baseline"),
        ("selfCriticalImagesPerBatch", "--self-critical-batch"), ("flipImages", "--flip-images"), ("threads", "--threads"),
    ];

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
