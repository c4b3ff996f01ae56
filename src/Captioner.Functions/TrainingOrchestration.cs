using Captioner.Training.Orchestration;
using Captioner.Training.Orchestration.Activities;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Captioner.Functions;

/// <summary>
/// The training orchestrator and activities as Functions: each binds its trigger and runs the same
/// class the local host registers with its Durable Task worker (Captioner.Training.Orchestration).
/// </summary>
public static class TrainingOrchestration
{
    [Function(nameof(TrainingOrchestrator))]
    public static Task<TrainingOutcome> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TrainingOrchestrator().RunAsync(context, context.GetInput<TrainingJobState>()!);
    }

    [Function(nameof(PrepareDatasetActivity))]
    public static Task<DatasetSummary> PrepareDataset([ActivityTrigger] PrepareDatasetInput input, string instanceId, FunctionContext context) =>
        Run<PrepareDatasetActivity, PrepareDatasetInput, DatasetSummary>(input, instanceId, context);

    [Function(nameof(BuildVocabularyActivity))]
    public static Task<int> BuildVocabulary([ActivityTrigger] BuildVocabularyInput input, string instanceId, FunctionContext context) =>
        Run<BuildVocabularyActivity, BuildVocabularyInput, int>(input, instanceId, context);

    [Function(nameof(ExtractFeatureShardActivity))]
    public static Task<FeatureShardResult> ExtractFeatureShard([ActivityTrigger] ExtractFeatureShardInput input, string instanceId, FunctionContext context) =>
        Run<ExtractFeatureShardActivity, ExtractFeatureShardInput, FeatureShardResult>(input, instanceId, context);

    [Function(nameof(TrainChunkActivity))]
    public static Task<IReadOnlyList<EpochMetrics>> TrainChunk([ActivityTrigger] TrainChunkInput input, string instanceId, FunctionContext context) =>
        Run<TrainChunkActivity, TrainChunkInput, IReadOnlyList<EpochMetrics>>(input, instanceId, context);

    [Function(nameof(ExportModelActivity))]
    public static Task<ExportModelResult> ExportModel([ActivityTrigger] ExportModelInput input, string instanceId, FunctionContext context) =>
        Run<ExportModelActivity, ExportModelInput, ExportModelResult>(input, instanceId, context);

    [Function(nameof(EvaluateModelActivity))]
    public static Task<EvaluateModelResult> EvaluateModel([ActivityTrigger] EvaluateModelInput input, string instanceId, FunctionContext context) =>
        Run<EvaluateModelActivity, EvaluateModelInput, EvaluateModelResult>(input, instanceId, context);

    [Function(nameof(PublishModelActivity))]
    public static Task<string> PublishModel([ActivityTrigger] PublishModelInput input, string instanceId, FunctionContext context) =>
        Run<PublishModelActivity, PublishModelInput, string>(input, instanceId, context);

    [Function(nameof(PromoteModelActivity))]
    public static Task<bool> PromoteModel([ActivityTrigger] string input, string instanceId, FunctionContext context) =>
        Run<PromoteModelActivity, string, bool>(input, instanceId, context);

    private static Task<TOutput> Run<TActivity, TInput, TOutput>(TInput input, string instanceId, FunctionContext context)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(context);
        var activity = ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(context.InstanceServices);
        return activity.RunAsync(new FunctionActivityContext(typeof(TActivity).Name, instanceId), input);
    }

    /// <summary>The activity context the class-based activities expect, from the trigger's binding data.</summary>
    private sealed class FunctionActivityContext(string name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;
    }
}
