using System.Collections.Concurrent;
using Captioner.Training.Orchestration;
using Captioner.Training.Orchestration.Activities;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Captioner.Core.Training;

namespace Captioner.Training.Tests.Orchestration;

/// <summary>
/// The orchestration's logic on the in-memory Durable Task test host, with stand-in activities
/// registered under the real names (the real activities run in the local-host end-to-end test).
/// </summary>
public sealed class TrainingOrchestratorTests
{
    private readonly ConcurrentQueue<string> _calls = new();

    /// <summary>Dev loss falls to its lowest at epoch 4, then rises.</summary>
    private static double DevLoss(int epoch) => 2.5 + Math.Abs(epoch - 4) * 0.1;

    /// <summary>Dev CIDEr-D peaks at epoch 4 in cross-entropy (0.40); self-critical epochs (from 8 on) reach 0.46 at epoch 9.</summary>
    private static double DevCider(int epoch) => epoch < 8 ? 0.40 - (Math.Abs(epoch - 4) * 0.01) : 0.46 - (Math.Abs(epoch - 9) * 0.02);

    [Fact]
    public async Task Training_stops_early_exports_the_best_epoch_and_promotes_a_model_better_than_the_current_one()
    {
        await using var host = await StartAsync(currentCider: 0.30, candidateCider: 0.35);
        var request = Request(maxEpochs: 20, patience: 3);

        var result = await RunAsync(host.Client, request);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        var outcome = result.ReadOutputAs<TrainingOutcome>()!;
        Assert.Equal(7, outcome.Epochs);
        Assert.Equal(4, outcome.BestEpoch);
        Assert.Equal(Enumerable.Range(1, 7), outcome.History.Select(e => e.Epoch));
        Assert.True(outcome.Promoted);
        Assert.Equal("toy-1", outcome.Version);

        // 7 chunks over more than one generation: continue-as-new carried the state across.
        Assert.Equal(7, _calls.Count(c => c.StartsWith("train", StringComparison.Ordinal)));
        Assert.Contains("train from 5", _calls);
        Assert.Contains("export epoch 4", _calls);
        Assert.Contains("promote toy-1", _calls);
        Assert.Equal(["dataset", "vocabulary", "features", "training", "export", "evaluation", "publish", "promote"], outcome.PhaseSeconds.Keys);
        Assert.Equal(TrainingJobPhase.Done, result.ReadCustomStatusAs<TrainingStatus>()!.Phase);
    }

    [Fact]
    public async Task Self_critical_epochs_follow_cross_entropy_from_its_best_epoch_with_a_fresh_optimizer_and_the_status_shows_the_phase_and_reward()
    {
        await using var host = await StartAsync(currentCider: 0.30, candidateCider: 0.46);
        var request = Request(maxEpochs: 20, patience: 3, selfCriticalEpochs: 3);

        var result = await RunAsync(host.Client, request);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        var outcome = result.ReadOutputAs<TrainingOutcome>()!;

        // Cross-entropy stops after epoch 7 (best 4); self-critical epochs 8..10 start from epoch 4's weights with a new optimizer.
        Assert.Equal(Enumerable.Range(1, 10), outcome.History.Select(e => e.Epoch));
        Assert.Equal(Enumerable.Repeat(EpochPhase.SelfCritical, 3), outcome.History.Skip(7).Select(e => e.Phase));
        Assert.Contains("self-critical from 4 fresh", _calls);
        Assert.Contains("self-critical from 8", _calls);
        Assert.Equal(9, outcome.BestEpoch);
        Assert.Contains("export epoch 9", _calls);
        Assert.Equal(0.6, outcome.History[^1].Reward!.Value, 6);
    }

    [Fact]
    public async Task A_model_worse_than_the_current_one_is_published_but_not_promoted_unless_forced()
    {
        await using var host = await StartAsync(currentCider: 0.40, candidateCider: 0.35);

        var kept = (await RunAsync(host.Client, Request(maxEpochs: 2, patience: 3))).ReadOutputAs<TrainingOutcome>()!;
        Assert.False(kept.Promoted);
        Assert.Contains("kept current-1", kept.Promotion, StringComparison.Ordinal);
        Assert.Contains("publish", _calls);
        Assert.DoesNotContain(_calls, c => c.StartsWith("promote", StringComparison.Ordinal));

        var forced = (await RunAsync(host.Client, Request(maxEpochs: 2, patience: 3) with { Force = true, Version = "toy-2" })).ReadOutputAs<TrainingOutcome>()!;
        Assert.True(forced.Promoted);
        Assert.Contains("promote toy-2", _calls);
    }

    [Fact]
    public async Task A_bad_dataset_fails_the_job_at_the_dataset_phase_at_once_and_nothing_trains()
    {
        await using var host = await StartAsync(currentCider: null, candidateCider: 0.3, badDataset: "The captions file 'training/c.tsv' is empty.");

        var result = await RunAsync(host.Client, Request(maxEpochs: 2, patience: 3));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, result.RuntimeStatus);
        Assert.Contains("dataset: The captions file 'training/c.tsv' is empty.", result.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(TrainingJobPhase.Failed, result.ReadCustomStatusAs<TrainingStatus>()!.Phase);
        Assert.Equal(["prepare"], _calls);
    }

    [Fact]
    public async Task A_transient_activity_failure_is_retried_and_the_job_completes()
    {
        await using var host = await StartAsync(currentCider: null, candidateCider: 0.3, publishFailures: 1);

        var result = await RunAsync(host.Client, Request(maxEpochs: 1, patience: 3));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(2, _calls.Count(c => c == "publish"));
        Assert.True(result.ReadOutputAs<TrainingOutcome>()!.Promoted);
    }

    private static TrainingJobRequest Request(int maxEpochs, int patience, int selfCriticalEpochs = 0) => new()
    {
        Captions = "c.tsv",
        Version = "toy-1",
        Options = new TrainingOptions { MaxEpochs = maxEpochs, Patience = patience, SelectBy = "loss", SelfCriticalEpochs = selfCriticalEpochs },
    };

    private static async Task<OrchestrationMetadata> RunAsync(DurableTaskClient client, TrainingJobRequest request)
    {
        var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingOrchestrator), new TrainingJobState { Request = request });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }

    private Task<DurableTaskTestHost> StartAsync(double? currentCider, double candidateCider, string? badDataset = null, int publishFailures = 0)
    {
        var failuresLeft = publishFailures;
        return DurableTaskTestHost.StartAsync(tasks => tasks
            .AddOrchestrator<TrainingOrchestrator>()
            .AddActivityFunc<PrepareDatasetInput, DatasetSummary>(nameof(PrepareDatasetActivity), (_, _) =>
            {
                _calls.Enqueue("prepare");
                return badDataset is null
                    ? new DatasetSummary("Tsv", 10, 5, 50, 25, [new FeatureShard("train", 0, 0, 10), new FeatureShard("dev", 0, 0, 5)])
                    : throw new InvalidDataException(badDataset);
            })
            .AddActivityFunc<BuildVocabularyInput, int>(nameof(BuildVocabularyActivity), (_, _) => { _calls.Enqueue("vocabulary"); return 42; })
            .AddActivityFunc<ExtractFeatureShardInput, FeatureShardResult>(nameof(ExtractFeatureShardActivity), (_, input) =>
            {
                _calls.Enqueue($"features {input.Shard.Split}");
                return new FeatureShardResult(input.Shard.Split, input.Shard.Index, input.Shard.Count, false, 1);
            })
            .AddActivityFunc<TrainChunkInput, IReadOnlyList<EpochMetrics>>(nameof(TrainChunkActivity), (_, input) =>
            {
                var plan = input.Plan;
                _calls.Enqueue(plan.Phase == EpochPhase.SelfCritical ? $"self-critical from {plan.ResumeFromEpoch}{(plan.FreshOptimizer ? " fresh" : string.Empty)}" : $"train from {plan.ResumeFromEpoch}");
                return [.. Enumerable.Range(plan.FirstEpoch, plan.Epochs).Select(epoch => new EpochMetrics(epoch, 3.0, DevLoss(epoch), DevCider(epoch), 1e-3, 1)
                {
                    Phase = plan.Phase,
                    Reward = plan.Phase == EpochPhase.SelfCritical ? 0.5 + (0.01 * epoch) : null,
                })];
            })
            .AddActivityFunc<ExportModelInput, ExportModelResult>(nameof(ExportModelActivity), (_, input) =>
            {
                _calls.Enqueue($"export epoch {input.BestEpoch}");
                return new ExportModelResult(DevLoss(input.BestEpoch), 1e-6);
            })
            .AddActivityFunc<EvaluateModelInput, EvaluateModelResult>(nameof(EvaluateModelActivity), (_, _) =>
            {
                _calls.Enqueue("evaluation");
                return new EvaluateModelResult(new Dictionary<string, double> { ["greedy.cider"] = candidateCider }, currentCider is null ? null : "current-1", currentCider);
            })
            .AddActivityFunc<PublishModelInput, string>(nameof(PublishModelActivity), (_, input) =>
            {
                _calls.Enqueue("publish");
                return Interlocked.Decrement(ref failuresLeft) >= 0 ? throw new IOException("storage hiccup") : input.Version;
            })
            .AddActivityFunc<string, bool>(nameof(PromoteModelActivity), (_, version) => { _calls.Enqueue($"promote {version}"); return true; }));
    }
}
