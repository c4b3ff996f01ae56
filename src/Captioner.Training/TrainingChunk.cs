using System.Diagnostics;
using Captioner.Evaluation.Data;
using Captioner.Evaluation.Scoring;
using Captioner.Core.Vocabulary;
using Captioner.Training.Orchestration;
using Captioner.Core.Training;

namespace Captioner.Training;

/// <summary>
/// The one training loop, for local training and the training job's activities alike: runs a
/// <see cref="TrainingChunkPlan"/> (resume from a checkpoint, train its epochs in its phase, measure dev
/// loss and greedy dev CIDEr-D, checkpoint every epoch, prune old checkpoints). Running a plan twice
/// writes the same checkpoints, so a retry after a crash is harmless.
/// </summary>
internal static class TrainingChunk
{
    public const string WeightsFile = "weights.bin";
    public const string OptimizerFile = "optimizer.bin";

    public static async Task<IReadOnlyList<EpochMetrics>> RunAsync(
        CaptionTrainer trainer, TrainingChunkPlan plan, TrainingOptions options, ICheckpointStore checkpoints, CaptionVocabulary vocabulary,
        IReadOnlyList<CaptionedImage> dev, string scratch, Action<int, int, string>? onStep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(checkpoints);
        if (plan.ResumeFromEpoch > 0)
        {
            trainer.LoadCheckpoint(await checkpoints.LocalCopyAsync(plan.ResumeFromEpoch, WeightsFile, cancellationToken).ConfigureAwait(false));
            if (!plan.FreshOptimizer)
            {
                trainer.LoadOptimizerState(await checkpoints.LocalCopyAsync(plan.ResumeFromEpoch, OptimizerFile, cancellationToken).ConfigureAwait(false));
            }
        }

        var selfCritical = plan.Phase == EpochPhase.SelfCritical;
        if (selfCritical && plan.FreshOptimizer)
        {
            trainer.StartSelfCritical();
        }

        var references = dev.Select(image => image.Captions).ToList();
        var metrics = new List<EpochMetrics>();
        Directory.CreateDirectory(scratch);
        for (var epoch = plan.FirstEpoch; epoch <= plan.LastEpoch; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            double trainLoss = 0;
            (double Reward, double Baseline)? reward = null;
            if (selfCritical)
            {
                reward = trainer.SelfCriticalEpoch(epoch, (step, steps, mean) => onStep?.Invoke(step, steps, FormattableString.Invariant($"epoch {epoch} reward {mean:F3}")));
            }
            else
            {
                trainLoss = trainer.TrainEpoch(epoch, (step, steps, loss) => onStep?.Invoke(step, steps, FormattableString.Invariant($"epoch {epoch} loss {loss:F3}")));
            }

            var devLoss = trainer.DevLoss();
            var scores = CaptionScores.Compute([.. trainer.DevGreedyTokens(options.MaxWords).Select(vocabulary.Decode)], references);

            var weights = Path.Combine(scratch, WeightsFile);
            var optimizer = Path.Combine(scratch, OptimizerFile);
            trainer.SaveCheckpoint(weights);
            trainer.SaveOptimizerState(optimizer);
            await checkpoints.SaveAsync(epoch, weights, optimizer, cancellationToken).ConfigureAwait(false);
            metrics.Add(new EpochMetrics(
                epoch, Math.Round(trainLoss, 5), Math.Round(devLoss, 5), Math.Round(scores.CiderD, 5),
                selfCritical ? options.SelfCriticalLearningRate : options.LearningRateAt(epoch), Math.Round(clock.Elapsed.TotalSeconds, 2))
            {
                Phase = plan.Phase,
                DevBleu4 = Math.Round(scores.Bleu4, 5),
                Reward = reward is { } r ? Math.Round(r.Reward, 5) : null,
                Baseline = reward is { } b ? Math.Round(b.Baseline, 5) : null,
            });
        }

        // Keep the best so far, this chunk's epochs and the one it resumed from (a retry needs it).
        var keep = new HashSet<int>(Enumerable.Range(plan.FirstEpoch, plan.Epochs)) { plan.KeepEpoch, plan.ResumeFromEpoch };
        await checkpoints.PruneAsync(keep, cancellationToken).ConfigureAwait(false);
        return metrics;
    }
}
