using System.CommandLine;
using System.Globalization;
using Captioner.Evaluation.Data;
using Captioner.Core.Features.Quantization;
using Captioner.Evaluation.Calibration;

namespace Captioner.Cli.Commands;

/// <summary>
/// <c>calibrate-encoder</c>: measures the int8 encoder's activation ranges on training images and writes the
/// calibration table (models/encoder/resnet18-int8.calibration.json in the repository).
/// </summary>
internal static class CalibrateEncoderCommand
{
    /// <summary>The committed table's percentile: it gave pooled features closer to fp32 than min/max or 99.99 (see docs/model-and-training.md).</summary>
    public const double DefaultPercentile = 99.9995;

    public static Command Create()
    {
        var images = new Option<string>("--images") { Description = "Folder of training images.", Required = true };
        var split = new Option<string?>("--split") { Description = "File of image names to draw from (a training split); default: every file in --images." };
        var count = new Option<int>("--count") { Description = "Images to measure, spread evenly over the split.", DefaultValueFactory = _ => 300 };
        var percentile = new Option<double>("--percentile") { Description = "Keep this percentile of each activation's values (100: full min/max).", DefaultValueFactory = _ => DefaultPercentile };
        var output = new Option<string>("--out") { Description = "Calibration table (JSON) to write.", Required = true };
        var command = new Command("calibrate-encoder", "Measure the int8 encoder's activation ranges on training images; write the calibration table.")
        {
            images, split, count, percentile, output,
        };
        command.SetAction(result =>
        {
            try
            {
                var folder = result.GetValue(images)!;
                var files = Pick(folder, result.GetValue(split), result.GetValue(count));
                var level = result.GetValue(percentile);
                if (level is <= 50 or > 100)
                {
                    throw new UsageException("--percentile must be above 50 and at most 100.");
                }

                var source = result.GetValue(split) is { } splitFile ? $"{Path.GetFileName(splitFile)} ({files.Count} images)" : $"{files.Count} images of {Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))}";
                var calibration = EncoderCalibrator.Calibrate(Path.Combine(AppContext.BaseDirectory, "encoder"), files, level, source, message => Console.Error.WriteLine(message));
                calibration.Save(result.GetValue(output)!);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{calibration.Ranges.Count} activation ranges ({calibration.Method}, {calibration.Images} images) written to {result.GetValue(output)}"));
                return 0;
            }
            catch (Exception ex) when (ex is UsageException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <summary><paramref name="count"/> images spread evenly over the split (or the folder), in order: the same choice every run.</summary>
    private static List<string> Pick(string folder, string? splitFile, int count)
    {
        if (count < 1)
        {
            throw new UsageException("--count must be at least 1.");
        }

        if (!Directory.Exists(folder))
        {
            throw new UsageException($"no such image folder: {folder}");
        }

        if (splitFile is not null && !File.Exists(splitFile))
        {
            throw new UsageException($"no such split file: {splitFile}");
        }

        var names = splitFile is null
            ? [.. Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Cast<string>()]
            : SplitFile.Read(splitFile);
        if (names.Count < count)
        {
            throw new UsageException($"--count {count} asks for more images than the {names.Count} available.");
        }

        var files = Enumerable.Range(0, count).Select(i => Path.Combine(folder, names[(int)((long)i * names.Count / count)])).ToList();
        return files.FirstOrDefault(f => !File.Exists(f)) is { } missing ? throw new UsageException($"image named by the split not found: {missing}") : files;
    }
}
