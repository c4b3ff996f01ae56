using System.CommandLine;
using System.Text.Json;
using Captioner.Evaluation.Captioning;
using Captioner.Evaluation.Data;
using Captioner.Evaluation.Scoring;
using Captioner.Core.Models;

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
        var decoding = new DecodingArguments();
        var command = new Command("eval", "Score a model on a split: BLEU-1..4 and CIDEr-D.");
        command.AddOptions(images, captions, split, model, json, precision, write);

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
                System.Console.WriteLine(result.GetValue(json)
                    ? JsonSerializer.Serialize(new EvalLine(scores.Bleu1, scores.Bleu2, scores.Bleu3, scores.Bleu4, scores.CiderD, scores.Images), CliJson.Default.EvalLine)
                    : scores.ToString());
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
}
