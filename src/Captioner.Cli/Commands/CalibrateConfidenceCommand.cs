using System.CommandLine;
using System.Globalization;
using Captioner.Core.Features;
using Captioner.Core.Models;
using Captioner.Evaluation.Captioning;
using Captioner.Evaluation.Confidence;
using Captioner.Evaluation.Data;

namespace Captioner.Cli.Commands;

/// <summary>
/// <c>calibrate-confidence</c>: fits a model folder's familiarity and confidence (<c>confidence.json</c>) without
/// retraining it: the training split's photos and captions as the reference, the dev split for the threshold and the
/// calibration. Local training, the training job and <c>ensemble</c> write the same file themselves.
/// </summary>
internal static class CalibrateConfidenceCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder to add confidence.json to (its manifest is rewritten with the file's hash).", Required = true };
        var images = new Option<string>("--images") { Description = "Folder of the images.", Required = true };
        var captions = new Option<string>("--captions") { Description = "Captions: TSV, Flickr8k token file or COCO JSON.", Required = true };
        var trainSplit = new Option<string>("--train-split") { Description = "The images the model was trained on (the reference set).", Required = true };
        var devSplit = new Option<string>("--dev-split") { Description = "Held-out images for the threshold and the calibration.", Required = true };
        var precision = PrecisionOption.Create();
        var command = new Command("calibrate-confidence", "Fit a model folder's familiarity score and caption confidence (confidence.json) on its training and dev splits.")
        {
            model, images, captions, trainSplit, devSplit, precision,
        };
        command.SetAction(result =>
        {
            try
            {
                var all = CaptionFiles.ReadFile(result.GetValue(captions)!);
                var train = SplitFile.Select(all, SplitFile.Read(result.GetValue(trainSplit)!), "train");
                var dev = SplitFile.Select(all, SplitFile.Read(result.GetValue(devSplit)!), "dev");
                var directory = result.GetValue(images)!;
                var folder = result.GetValue(model)!;
                using (CaptioningModel.LoadFolder(folder))
                {
                    // Refuse a damaged folder before minutes of encoding.
                }

                ServedFeatures trainFeatures, devFeatures;
                using (var extractor = new FeatureExtractor(PrecisionOption.Read(result, precision)))
                {
                    trainFeatures = ServedFeatures.Extract(extractor, [.. train.Select(i => Path.Combine(directory, i.ImageFile))], keepMaps: false, Report("train"));
                    devFeatures = ServedFeatures.Extract(extractor, [.. dev.Select(i => Path.Combine(directory, i.ImageFile))], keepMaps: true, Report("dev"));
                }

                var fittedOn = $"{train.Count} training photos of {Path.GetFileName(result.GetValue(trainSplit))}, threshold and calibration on {dev.Count} of {Path.GetFileName(result.GetValue(devSplit))}";
                var (manifest, file) = ConfidenceFitter.FitFolder(folder, trainFeatures.Pooled, train, devFeatures.Pooled, devFeatures.Maps!, dev, fittedOn);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ConfidenceFileName} of {manifest.Version}: {train.Count} reference photos, unfamiliar below {file.UnfamiliarBelow:F4}; {file.Calibration!.Definition}"));
                return 0;
            }
            catch (Exception ex) when (ex is UsageException or ModelLoadException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    private const string ConfidenceFileName = Core.Confidence.ConfidenceFile.FileName;

    private static Action<int, int> Report(string split) => (done, total) =>
    {
        if (done == total || done % 640 == 0)
        {
            Console.Error.WriteLine($"{split}: {done}/{total} images encoded");
        }
    };
}
