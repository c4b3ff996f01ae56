using System.CommandLine;
using System.Text.Json;
using Captioner.Evaluation.Captioning;
using Captioner.Evaluation.Data;
using Captioner.Evaluation.Scoring;
using Captioner.Core.Confidence;
using Captioner.Core.Decoding;
using Captioner.Core.Models;
using Captioner.Evaluation.Confidence;

namespace Captioner.Cli.Commands;

/// <summary><c>eval</c>: captions a split from its images and prints BLEU-1..4 and CIDEr-D.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var images = new Option<string>("--images") { Description = "Folder of the split's images.", Required = true };
        var captions = new Option<string>("--captions") { Description = "Reference captions: TSV, Flickr8k token file or COCO JSON.", Required = true };
        var split = new Option<string>("--split") { Description = "File of image names to evaluate.", Required = true };
        var model = ModelOption.Create();
        var json = new Option<bool>("--json") { Description = "Print one JSON object: bleu1..bleu4, cider, images." };
        var precision = PrecisionOption.Create();
        var write = new Option<string?>("--write-captions") { Description = "Also write the captions made as image_file<TAB>caption lines (e.g. a teacher's captions of the training split for train --teacher-captions)." };
        var unfamiliar = new Option<string?>("--unfamiliar") { Description = "A folder of photos unlike the split's: adds the familiarity's AUROC (split vs folder) and the share of each flagged unfamiliar." };
        var decoding = new DecodingArguments();
        var command = new Command("eval", "Score a model on a split: BLEU-1..4 and CIDEr-D, and how well its confidence ranks the captions.");
        command.AddOptions(images, captions, split, model, json, precision, write, unfamiliar);

        decoding.AddTo(command);
        command.SetAction(result =>
        {
            try
            {
                var selected = SplitFile.Select(CaptionFiles.ReadFile(result.GetValue(captions)!), SplitFile.Read(result.GetValue(split)!), "split");
                var directory = result.GetValue(images)!;
                using var captioner = ImageCaptioner.Open(result.GetValue(model)!, PrecisionOption.Read(result, precision));
                var outcomes = captioner.CaptionFiles([.. selected.Select(i => Path.Combine(directory, i.ImageFile))], decoding.Read(result)).ToList();
                var failed = outcomes.Where(o => o.Error is not null).ToList();
                foreach (var failure in failed)
                {
                    System.Console.Error.WriteLine($"{failure.Image}\terror: {failure.Error}");
                }

                if (result.GetValue(write) is { } file)
                {
                    // One line per captioned image, named as the split names it; an empty caption has no line (the reader refuses one).
                    File.WriteAllLines(file, selected.Zip(outcomes)
                        .Where(pair => !string.IsNullOrEmpty(pair.Second.Caption?.Caption))
                        .Select(pair => $"{pair.First.ImageFile}\t{pair.Second.Caption!.Caption}"));
                }

                var scores = CaptionScores.Compute([.. outcomes.Select(o => o.Caption?.Caption ?? string.Empty)], [.. selected.Select(i => i.Captions)]);
                var confidence = MeasureConfidence(captioner, outcomes, selected, result.GetValue(unfamiliar), decoding.Read(result));
                var line = new EvalLine(scores.Bleu1, scores.Bleu2, scores.Bleu3, scores.Bleu4, scores.CiderD, scores.Images) { Confidence = confidence };
                System.Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(line, CliJson.Default.EvalLine) : scores + ConfidenceText(confidence));
                return failed.Count == 0 ? 0 : 1;
            }
            catch (Exception ex) when (ex is UsageException or ModelLoadException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
            {
                System.Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <summary>The confidence figures, when the model carries confidence.json and every image was captioned; null otherwise.</summary>
    private static ConfidenceReport? MeasureConfidence(ImageCaptioner captioner, List<CaptionOutcome> outcomes, IReadOnlyList<CaptionedImage> selected, string? unfamiliarFolder, DecodingOptions options)
    {
        if (!captioner.HasConfidence)
        {
            if (unfamiliarFolder is not null)
            {
                throw new UsageException("--unfamiliar: the model carries no confidence.json (fit one with calibrate-confidence).");
            }

            return null;
        }

        if (outcomes.Count == 0 || outcomes.Any(o => o.Caption is null))
        {
            return null;
        }

        List<(DecodedCaption, CaptionAssessment)>? other = null;
        if (unfamiliarFolder is not null)
        {
            var files = ImageFiles.Expand([unfamiliarFolder], out var missing);
            if (missing.Count > 0 || files.Count == 0)
            {
                throw new UsageException($"--unfamiliar: no images in '{unfamiliarFolder}'.");
            }

            other = [.. captioner.CaptionFiles(files, options).Where(o => o.Caption is not null).Select(o => (o.Caption!, o.Assessment!))];
        }

        return ConfidenceReport.Measure([.. outcomes.Select(o => (o.Caption!, o.Assessment!))], selected, other, CaptionAssessment.DefaultUnsureBelow);
    }

    private static string ConfidenceText(ConfidenceReport? report) => report is null ? string.Empty : string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"\nconfidence: Spearman with per-image CIDEr-D {report.ConfidenceSpearman:F4} (log-probability per word {report.LogProbabilitySpearman:F4}); CIDEr-D of the most confident 50% {report.Top50Cider:F4}, 80% {report.Top80Cider:F4}; unfamiliar {report.SplitUnfamiliarShare:P1}, unsure {report.UnsureShare:P1}")
        + (report.OtherImages is null ? string.Empty : string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"\nunfamiliar folder ({report.OtherImages} images): familiarity AUROC {report.FamiliarityAuroc:F4} (log-probability per word {report.LogProbabilityAuroc:F4}); flagged unfamiliar {report.OtherUnfamiliarShare:P1}, unsure {report.OtherUnsureShare:P1}"));
}
