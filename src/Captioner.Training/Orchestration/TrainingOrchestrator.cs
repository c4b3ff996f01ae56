using Captioner.Core;
using Captioner.Training.Orchestration.Activities;
using Microsoft.DurableTask;

namespace Captioner.Training.Orchestration;

/// <summary>
/// The training job: prepare dataset -> vocabulary -> feature shards (fanned out) -> training in
/// chunks that resume from checkpoints, with early stopping on dev -> export with the parity check ->
/// evaluation -> publish -> promote when not worse (or forced). Deterministic: every decision is made
/// from activity results and the replay-safe clock. Continues as new every few chunks so its history
/// stays bounded.
/// </summary>
public sealed class TrainingOrchestrator : TaskOrchestrator<TrainingJobState, TrainingOutcome>
{
    /// <summary>Training chunks per orchestration generation before continue-as-new.</summary>
    public const int ChunksPerGeneration = 5;

    public override async Task<TrainingOutcome> RunAsync(TaskOrchestrationContext context, TrainingJobState input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var state = input;
        var request = state.Request;
        var options = request.Options;
        var jobId = context.InstanceId;
        if (state.Version is null)
        {
            state = state with
            {
                Version = request.Version ?? $"{request.DatasetName}-{context.CurrentUtcDateTime:yyyyMMdd-HHmmss}",
                StartedAt = context.CurrentUtcDateTime,
            };
        }

        if (state.Dataset is null)
        {
            state = await RunPhaseAsync(context, state, TrainingJobPhase.Dataset, $"reading {request.Captions}", async () =>
                state with { Dataset = await context.PrepareDatasetAsync(new PrepareDatasetInput(jobId, request)) }).ConfigureAwait(true);
            state = await RunPhaseAsync(context, state, TrainingJobPhase.Vocabulary, $"minimum count {options.MinWordCount}", async () =>
            {
                await context.BuildVocabularyAsync(new BuildVocabularyInput(jobId, options.MinWordCount)).ConfigureAwait(true);
                return state;
            }).ConfigureAwait(true);

            // Continue-as-new happens only in the training loop, so a generation with a dataset has its features.
            var shards = state.Dataset!.Shards;
            state = await RunPhaseAsync(context, state, TrainingJobPhase.Features, $"{shards.Count} shards of {state.Dataset.TrainImages + state.Dataset.DevImages} images", async () =>
            {
                await Task.WhenAll(shards.Select(shard => context.ExtractFeatureShardAsync(new ExtractFeatureShardInput(jobId, shard)))).ConfigureAwait(true);
                return state;
            }).ConfigureAwait(true);
        }

        for (var chunk = 0; state.Training.NextChunk(options, request.EpochsPerChunk) is { } plan; chunk++)
        {
            if (chunk == ChunksPerGeneration)
            {
                context.ContinueAsNew(state);
                return null!;
            }

            SetStatus(context, state, TrainingJobPhase.Training, KebabCase.Of(plan.Phase));
            var progress = state.Training;
            state = await RunPhaseAsync(context, state, TrainingJobPhase.Training, null, async () =>
            {
                var metrics = await context.TrainChunkAsync(new TrainChunkInput(jobId, options, request.ShardSize, plan)).ConfigureAwait(true);
                return state with { Training = progress.Apply(metrics, options) };
            }, setStatus: false).ConfigureAwait(true);
        }

        var training = state.Training;
        state = await RunPhaseAsync(context, state, TrainingJobPhase.Export, $"epoch {training.BestEpoch} as {state.Version}", async () =>
        {
            await context.ExportModelAsync(new ExportModelInput(
                jobId, options, request.ShardSize, state.Version!, request.DatasetName, training.BestEpoch, training.LastEpoch,
                (context.CurrentUtcDateTime - state.StartedAt).TotalSeconds)).ConfigureAwait(true);
            return state;
        }).ConfigureAwait(true);

        var evaluation = default(EvaluateModelResult)!;
        state = await RunPhaseAsync(context, state, TrainingJobPhase.Evaluation, $"{state.Dataset!.DevImages} dev images", async () =>
        {
            evaluation = await context.EvaluateModelAsync(new EvaluateModelInput(jobId, request.ShardSize)).ConfigureAwait(true);
            return state;
        }).ConfigureAwait(true);

        var version = state.Version!;
        state = await RunPhaseAsync(context, state, TrainingJobPhase.Publish, version, async () =>
        {
            version = await context.PublishModelAsync(new PublishModelInput(jobId, version)).ConfigureAwait(true);
            return state;
        }).ConfigureAwait(true);

        var (promote, reason) = PromotionDecision.Decide(evaluation.Metrics["greedy.cider"], evaluation.CurrentVersion, evaluation.CurrentCider, request.Force);
        if (promote)
        {
            state = await RunPhaseAsync(context, state, TrainingJobPhase.Promote, reason, async () =>
            {
                await context.PromoteModelAsync(version).ConfigureAwait(true);
                return state;
            }).ConfigureAwait(true);
        }

        var outcome = new TrainingOutcome
        {
            Version = version,
            Promoted = promote,
            Promotion = reason,
            Metrics = evaluation.Metrics,
            Epochs = training.LastEpoch,
            BestEpoch = training.BestEpoch,
            PhaseSeconds = state.PhaseSeconds,
            History = training.History,
        };
        SetStatus(context, state, TrainingJobPhase.Done, reason);
        return outcome;
    }

    private static async Task<TrainingJobState> RunPhaseAsync(
        TaskOrchestrationContext context, TrainingJobState state, TrainingJobPhase phase, string? detail, Func<Task<TrainingJobState>> step, bool setStatus = true)
    {
        if (setStatus)
        {
            SetStatus(context, state, phase, detail);
        }

        var started = context.CurrentUtcDateTime;
        var name = KebabCase.Of(phase);
        TrainingJobState next;
        try
        {
            next = await step().ConfigureAwait(true);
        }
        catch (TaskFailedException ex)
        {
            SetStatus(context, state, TrainingJobPhase.Failed, $"{name}: {ex.FailureDetails.ErrorMessage}");
            throw new TrainingFailedException(name, ex.FailureDetails.ErrorMessage, ex);
        }

        return next.WithPhaseTime(name, context.CurrentUtcDateTime - started);
    }

    private static void SetStatus(TaskOrchestrationContext context, TrainingJobState state, TrainingJobPhase phase, string? detail)
    {
        var training = state.Training;
        var last = training.History.Count > 0 ? training.History[^1] : null;
        context.SetCustomStatus(new TrainingStatus
        {
            Phase = phase,
            Detail = detail,
            Epoch = training.LastEpoch,
            MaxEpochs = state.Request.Options.MaxEpochs + state.Request.Options.SelfCriticalEpochs,
            TrainLoss = last?.TrainLoss,
            DevLoss = last?.DevLoss,
            BestEpoch = training.BestEpoch,
            BestDevLoss = training.Best?.DevLoss,
            BestDevCider = training.Best?.DevCider,
            TrainingPhase = training.History.Count > 0 || phase == TrainingJobPhase.Training ? training.Phase(state.Request.Options) : null,
            Reward = last?.Reward,
            DevCider = last?.DevCider,
            EtaSeconds = phase == TrainingJobPhase.Training ? training.MaxSecondsLeft(state.Request.Options) : null,
        });
    }
}
