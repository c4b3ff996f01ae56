using Captioner.Core;
using Captioner.Training.Orchestration.Activities;
using Microsoft.DurableTask;

namespace Captioner.Training.Orchestration;

/// <summary>
/// The training job's steps for <see cref="TrainingSequence"/>: each one or more activities over the job's blobs,
/// with the job's status (phase, epoch, losses) and phase times kept in the orchestration and its state carried
/// across continue-as-new. A failed activity fails the job with the phase it failed in.
/// </summary>
internal sealed class DurableTrainingSteps(TaskOrchestrationContext context, TrainingJobState state) : ITrainingSteps
{
    /// <summary>What the job has done so far: the next generation's input when it continues as new.</summary>
    public TrainingJobState State { get; private set; } = state;

    /// <summary>The exported model's dev scores and the current model's, once evaluated.</summary>
    public EvaluateModelResult? Evaluation { get; private set; }

    /// <summary>The version published (set by <see cref="PublishAsync"/>).</summary>
    public string? PublishedVersion { get; private set; }

    /// <summary>Whether the new version was made current, and why (set by <see cref="PublishAsync"/>).</summary>
    public (bool Promoted, string Reason) Promotion { get; private set; }

    public TrainingProgressState Progress => State.Training;

    public bool HasData => State.Dataset is not null;

    private string JobId => context.InstanceId;

    private TrainingJobRequest Request => State.Request;

    public Task PrepareDatasetAsync() =>
        RunPhaseAsync(TrainingJobPhase.Dataset, $"reading {Request.Captions}", async () =>
            State with { Dataset = await context.PrepareDatasetAsync(new PrepareDatasetInput(JobId, Request)).ConfigureAwait(true) });

    public Task BuildVocabularyAsync() =>
        RunPhaseAsync(TrainingJobPhase.Vocabulary, $"minimum count {Request.Options.MinWordCount}", async () =>
        {
            await context.BuildVocabularyAsync(new BuildVocabularyInput(JobId, Request.Options.MinWordCount)).ConfigureAwait(true);
            return State;
        });

    public Task ExtractFeaturesAsync()
    {
        // Continue-as-new happens only in the training loop, so a generation with a dataset has its features.
        var dataset = State.Dataset!;
        return RunPhaseAsync(TrainingJobPhase.Features, $"{dataset.Shards.Count} shards of {dataset.TrainImages + dataset.DevImages} images", async () =>
        {
            await Task.WhenAll(dataset.Shards.Select(shard => context.ExtractFeatureShardAsync(new ExtractFeatureShardInput(JobId, shard)))).ConfigureAwait(true);
            return State;
        });
    }

    public Task TrainChunkAsync(TrainingChunkPlan plan)
    {
        SetStatus(TrainingJobPhase.Training, KebabCase.Of(plan.Phase));
        var progress = State.Training;
        return RunPhaseAsync(TrainingJobPhase.Training, null, async () =>
        {
            var metrics = await context.TrainChunkAsync(new TrainChunkInput(JobId, Request.Options, Request.ShardSize, plan)).ConfigureAwait(true);
            return State with { Training = progress.Apply(metrics, Request.Options) };
        }, setStatus: false);
    }

    public Task ExportAsync()
    {
        var training = State.Training;
        return RunPhaseAsync(TrainingJobPhase.Export, $"epoch {training.BestEpoch} as {State.Version}", async () =>
        {
            await context.ExportModelAsync(new ExportModelInput(
                JobId, Request.Options, Request.ShardSize, State.Version!, Request.DatasetName, training.BestEpoch, training.LastEpoch,
                (context.CurrentUtcDateTime - State.StartedAt).TotalSeconds)).ConfigureAwait(true);
            return State;
        });
    }

    public Task EvaluateAsync() =>
        RunPhaseAsync(TrainingJobPhase.Evaluation, $"{State.Dataset!.DevImages} dev images", async () =>
        {
            Evaluation = await context.EvaluateModelAsync(new EvaluateModelInput(JobId, Request.ShardSize)).ConfigureAwait(true);
            return State;
        });

    public async Task PublishAsync()
    {
        var version = State.Version!;
        await RunPhaseAsync(TrainingJobPhase.Publish, version, async () =>
        {
            version = await context.PublishModelAsync(new PublishModelInput(JobId, version)).ConfigureAwait(true);
            return State;
        }).ConfigureAwait(true);
        PublishedVersion = version;

        var evaluation = Evaluation!;
        var (promote, reason) = PromotionDecision.Decide(evaluation.Metrics["greedy.cider"], evaluation.CurrentVersion, evaluation.CurrentCider, Request.Force);
        if (promote)
        {
            await RunPhaseAsync(TrainingJobPhase.Promote, reason, async () =>
            {
                await context.PromoteModelAsync(version).ConfigureAwait(true);
                return State;
            }).ConfigureAwait(true);
        }

        Promotion = (promote, reason);
    }

    /// <summary>Publishes the job's status: its phase with <paramref name="detail"/>, and the training figures so far.</summary>
    public void SetStatus(TrainingJobPhase phase, string? detail)
    {
        var training = State.Training;
        var options = Request.Options;
        var last = training.History.Count > 0 ? training.History[^1] : null;
        context.SetCustomStatus(new TrainingStatus
        {
            Phase = phase,
            Detail = detail,
            Epoch = training.LastEpoch,
            MaxEpochs = options.MaxEpochs + options.SelfCriticalEpochs,
            TrainLoss = last?.TrainLoss,
            DevLoss = last?.DevLoss,
            BestEpoch = training.BestEpoch,
            BestDevLoss = training.Best?.DevLoss,
            BestDevCider = training.Best?.DevCider,
            TrainingPhase = training.History.Count > 0 || phase == TrainingJobPhase.Training ? training.Phase(options) : null,
            Reward = last?.Reward,
            DevCider = last?.DevCider,
            EtaSeconds = phase == TrainingJobPhase.Training ? training.MaxSecondsLeft(options) : null,
        });
    }

    private async Task RunPhaseAsync(TrainingJobPhase phase, string? detail, Func<Task<TrainingJobState>> step, bool setStatus = true)
    {
        if (setStatus)
        {
            SetStatus(phase, detail);
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
            SetStatus(TrainingJobPhase.Failed, $"{name}: {ex.FailureDetails.ErrorMessage}");
            throw new TrainingFailedException(name, ex.FailureDetails.ErrorMessage, ex);
        }

        State = next.WithPhaseTime(name, context.CurrentUtcDateTime - started);
    }
}
