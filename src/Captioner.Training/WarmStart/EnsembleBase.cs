using Captioner.Core.Models;
using Captioner.Training.Export;

namespace Captioner.Training.WarmStart;

/// <summary>
/// Fine-tuning an ensemble: each decoder is fine-tuned on its own from its weights in the joined graphs (the same data,
/// vocabulary growth and options), then they are joined again the way the base was (its rule, float16 storage and int8
/// gates), and the join's confidence is calibrated on the dev split.
/// </summary>
internal static class EnsembleBase
{
    /// <summary>The decoder kinds an ensemble folder joined, or null for a single model.</summary>
    public static IReadOnlyList<string>? Members(string directory)
    {
        // A folder without graphs is no ensemble: loading it as a base says what is wrong with it.
        if (!File.Exists(Path.Combine(directory, Core.Decoding.DecoderGraphs.StepFile)))
        {
            return null;
        }

        return BaseModelReader.EnsembleKinds(directory) is { Count: > 0 } kinds ? kinds : null;
    }

    public static ModelManifest FineTune(TrainingRequest request, IReadOnlyList<string> members, ITrainingProgress progress, CancellationToken cancellationToken)
    {
        var from = request.FromModelDirectory!;
        var parameters = ModelFiles.Deserialize(File.ReadAllBytes(Path.Combine(from, ModelFiles.Manifest))).Training?.Parameters ?? [];
        var version = request.Version ?? $"{request.DatasetName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
        var folders = new List<string>();
        var scratch = Path.Combine(request.WorkDirectory, "ensemble-members", version);
        for (var m = 0; m < members.Count; m++)
        {
            progress.Phase(Orchestration.TrainingJobPhase.Training, $"decoder {m + 1} of {members.Count} ({members[m]})");
            var folder = Path.Combine(scratch, $"m{m}");
            TrainingRun.RunOne(request with { FromMember = m, OutputDirectory = folder, Version = $"{version}-m{m}" }, progress, cancellationToken);
            folders.Add(folder);
        }

        var rule = Enum.GetValues<EnsembleRule>().FirstOrDefault(r => Core.KebabCase.Of(r) == parameters.GetValueOrDefault("ensembleRule"));
        EnsembleExporter.Export(folders, request.OutputDirectory, version, halfPrecision: parameters.GetValueOrDefault("weights") == "float16", rule, int8Gates: parameters.GetValueOrDefault("gateWeights") == "int8");
        progress.Phase(Orchestration.TrainingJobPhase.Evaluation, EnsembleConfidence.Write(folders, request.OutputDirectory, request.ImagesDirectory, request.CaptionsFile, request.DevSplitFile));
        Directory.Delete(scratch, recursive: true);
        return ModelFiles.Deserialize(File.ReadAllBytes(Path.Combine(request.OutputDirectory, ModelFiles.Manifest)));
    }
}
