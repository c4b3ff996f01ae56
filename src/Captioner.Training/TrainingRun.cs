using Captioner.Core.Models;

namespace Captioner.Training;

/// <summary>
/// A whole local training run: <see cref="TrainingSequence"/> (the training job's sequence) over local files
/// (<see cref="LocalTrainingSteps"/>): dataset -> vocabulary -> features (cached) -> the chunked trainer, one epoch per
/// chunk (cross-entropy with early stopping, then the self-critical phase when asked) with checkpoints in the work
/// folder -> ONNX export with a parity check -> dev evaluation -> a verified model folder. Run the same command again
/// after a crash and it resumes from the last epoch's checkpoint.
/// </summary>
public static class TrainingRun
{
    /// <summary>Largest difference allowed between TorchSharp and ONNX Runtime on the same inputs.</summary>
    public const double ParityTolerance = 1e-4;

    /// <summary>Runs <paramref name="request"/>; returns the written manifest.</summary>
    public static ModelManifest Run(TrainingRequest request, ITrainingProgress progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        if (request.Options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        if (request.FromModelDirectory is { } from && WarmStart.EnsembleBase.Members(from) is { Count: > 1 } members)
        {
            return WarmStart.EnsembleBase.FineTune(request, members, progress, cancellationToken);
        }

        return RunOne(request, progress, cancellationToken);
    }

    /// <summary>Trains one decoder (from scratch, or from the base's decoder <see cref="TrainingRequest.FromMember"/>).</summary>
    internal static ModelManifest RunOne(TrainingRequest request, ITrainingProgress progress, CancellationToken cancellationToken)
    {
        using var steps = new LocalTrainingSteps(request, progress, cancellationToken);
        TrainingSequence.RunAsync(steps, request.Options, epochsPerChunk: 1).GetAwaiter().GetResult();
        return steps.Manifest!;
    }
}
