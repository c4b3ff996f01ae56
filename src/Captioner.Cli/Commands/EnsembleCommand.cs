using System.CommandLine;
using Captioner.Core.Models;
using Captioner.Training.Export;

namespace Captioner.Cli.Commands;

/// <summary><c>ensemble</c>: joins model folders trained on the same vocabulary into one model folder.</summary>
internal static class EnsembleCommand
{
    public static Command Create()
    {
        var models = PathArguments.Create("models", "Model folders (same encoder and vocabulary).", new ArgumentArity(2, 8));
        var output = new Option<string>("--out") { Description = "Model folder to write.", Required = true };
        var version = new Option<string?>("--version") { Description = "Version of the joined model (default: the members' versions joined by '+')." };
        var fullPrecision = new Option<bool>("--float32") { Description = "Keep float32 weights (default: float16 storage, float32 compute)." };
        var rule = new Option<EnsembleRule>("--rule")
        {
            Description = "How the members' next-word distributions join: mean-probability (their mean) or geometric-mean (softmax of their mean logits).",
            DefaultValueFactory = _ => EnsembleRule.MeanProbability,
            CustomParser = ParseRule,
        };
        var int8Gates = new Option<bool>("--int8-gates") { Description = "Store the LSTM gate weights as int8 and compute those products in int8 (a faster step on the CPU; measured within 0.0001 BLEU-4 on dev)." };
        var devImages = new Option<string?>("--dev-images") { Description = "Folder of held-out images to calibrate the ensemble's confidence on (with --dev-captions and --dev-split); without them it keeps its members' familiarity only." };
        var devCaptions = new Option<string?>("--dev-captions") { Description = "Captions of the held-out images (TSV, Flickr8k token file or COCO JSON)." };
        var devSplit = new Option<string?>("--dev-split") { Description = "File naming the held-out images." };
        var command = new Command("ensemble", "Join models into one that averages their next-word probabilities.") { models, output, version, fullPrecision, rule, int8Gates, devImages, devCaptions, devSplit };
        command.SetAction(result =>
        {
            var folders = result.GetValue(models)!;
            try
            {
                var manifest = EnsembleExporter.Export(folders, result.GetValue(output)!, result.GetValue(version) ?? string.Join('+', folders.Select(VersionOf)), !result.GetValue(fullPrecision), result.GetValue(rule), result.GetValue(int8Gates));
                Console.WriteLine($"model {manifest.Version} written to {result.GetValue(output)}");
                Console.WriteLine(EnsembleConfidence.Write(folders, result.GetValue(output)!, result.GetValue(devImages), result.GetValue(devCaptions), result.GetValue(devSplit)));
                return 0;
            }
            catch (Exception ex) when (ex is InvalidDataException or ModelLoadException or IOException or UsageException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    private static EnsembleRule ParseRule(System.CommandLine.Parsing.ArgumentResult result)
    {
        var word = result.Tokens.Single().Value;
        foreach (var value in Enum.GetValues<EnsembleRule>())
        {
            if (Core.KebabCase.Of(value) == word)
            {
                return value;
            }
        }

        result.AddError($"--rule must be one of {string.Join(", ", Enum.GetValues<EnsembleRule>().Select(v => Core.KebabCase.Of(v)))} (got '{word}').");
        return default;
    }

    private static string VersionOf(string folder)
    {
        using var model = CaptioningModel.LoadFolder(folder);
        return model.Version;
    }
}
