using System.CommandLine;
using System.Text.Json;
using Captioner.Evaluation.Captioning;
using Captioner.Core.Decoding;
using Captioner.Core.Models;

namespace Captioner.Cli.Commands;

/// <summary><c>caption</c>: one line per image, errors on stderr, non-zero exit when any image failed.</summary>
internal static class CaptionCommand
{
    public static Command Create()
    {
        var paths = PathArguments.Create("paths", "Image files or folders (walked recursively).", ArgumentArity.OneOrMore);
        var model = ModelOption.Create();
        var json = new Option<bool>("--json") { Description = "JSON lines: image, caption, logprob, modelVersion (and nbest with --beam)." };
        var maps = new Option<string?>("--attention-maps") { Description = "Folder to write one PNG per image: the photo and, per word, where the model looked (soft-attention models)." };
        var beginWith = new Option<string?>("--begin-with") { Description = "Words every caption begins with (\"a dog\"); the model continues after them, under any decoding." };
        var precision = PrecisionOption.Create();
        var decoding = new DecodingArguments();
        var command = new Command("caption", "Caption images.");
        command.Arguments.Add(paths);
        var unsureBelow = new Option<double>("--unsure-below")
        {
            Description = "Mark captions whose confidence is below this (0 to 1) unsure, as well as every caption of an unfamiliar photo.",
            DefaultValueFactory = _ => Core.Confidence.CaptionAssessment.DefaultUnsureBelow,
        };
        command.AddOptions(model, json, maps, beginWith, precision, unsureBelow);
        decoding.AddTo(command);
        command.SetAction(result =>
        {
            var files = ImageFiles.Expand(result.GetValue(paths)!, out var missing);
            foreach (var path in missing)
            {
                System.Console.Error.WriteLine($"{path}\terror: no such file or folder");
            }

            try
            {
                using var captioner = ImageCaptioner.Open(result.GetValue(model)!, PrecisionOption.Read(result, precision));
                var pictures = result.GetValue(maps) is { } folder ? AttentionPictures.Create(folder, captioner) : null;
                var options = decoding.Read(result) with { BeginWith = result.GetValue(beginWith) };
                try
                {
                    captioner.CheckDecoding(options);
                }
                catch (ArgumentException ex)
                {
                    throw new UsageException((ex.ParamName == nameof(DecodingOptions.BeginWith) ? "--begin-with: " : string.Empty) + CliErrors.Sentence(ex));
                }

                var threshold = result.GetValue(unsureBelow);
                if (threshold is < 0 or > 1)
                {
                    throw new UsageException($"--unsure-below must be 0..1 (got {threshold}).");
                }

                var failures = missing.Count;
                foreach (var outcome in captioner.CaptionFiles(files, options))
                {
                    if (outcome.Error is { } error)
                    {
                        failures++;
                        System.Console.Error.WriteLine($"{outcome.Image}\terror: {error}");
                        continue;
                    }

                    pictures?.Write(outcome);
                    if (result.GetValue(json))
                    {
                        System.Console.WriteLine(JsonSerializer.Serialize(CaptionLine.From(outcome, captioner.ModelVersion, threshold), CliJson.Default.CaptionLine));
                    }
                    else
                    {
                        // An unsure caption gets a third column saying why; sure ones keep two.
                        var because = outcome.Assessment?.UnsureBecause(threshold);
                        System.Console.WriteLine(because is null ? $"{outcome.Image}\t{outcome.Caption!.Caption}" : $"{outcome.Image}\t{outcome.Caption!.Caption}\tunsure: {because}");
                    }
                }

                return failures == 0 ? 0 : 1;
            }
            catch (Exception ex) when (ex is ModelLoadException or UsageException or InvalidDataException or FileNotFoundException)
            {
                System.Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }
}
