using Captioner.Training.Orchestration.Activities;
using Microsoft.DurableTask;

namespace Captioner.Training.Orchestration;

/// <summary>
/// The orchestrator's typed calls of the training activities (what durabletask's source generator would write; the
/// generator is not on this feed). Each call's name, input and result types come from the activity class through one
/// constrained helper, so they cannot drift apart, and every call retries transient failures the same way.
/// </summary>
internal static class TrainingActivityCalls
{
    /// <summary>Retries transient failures (three attempts, 5 s then 10 s apart); bad data fails at once.</summary>
    private static readonly TaskOptions RetryTransient = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(5), backoffCoefficient: 2)
    {
        HandleFailure = failure => !failure.IsCausedBy<InvalidDataException>(),
    });

    public static Task<DatasetSummary> PrepareDatasetAsync(this TaskOrchestrationContext context, PrepareDatasetInput input) =>
        Call<PrepareDatasetActivity, PrepareDatasetInput, DatasetSummary>(context, input);

    public static Task<int> BuildVocabularyAsync(this TaskOrchestrationContext context, BuildVocabularyInput input) =>
        Call<BuildVocabularyActivity, BuildVocabularyInput, int>(context, input);

    public static Task<FeatureShardResult> ExtractFeatureShardAsync(this TaskOrchestrationContext context, ExtractFeatureShardInput input) =>
        Call<ExtractFeatureShardActivity, ExtractFeatureShardInput, FeatureShardResult>(context, input);

    public static Task<IReadOnlyList<EpochMetrics>> TrainChunkAsync(this TaskOrchestrationContext context, TrainChunkInput input) =>
        Call<TrainChunkActivity, TrainChunkInput, IReadOnlyList<EpochMetrics>>(context, input);

    public static Task<ExportModelResult> ExportModelAsync(this TaskOrchestrationContext context, ExportModelInput input) =>
        Call<ExportModelActivity, ExportModelInput, ExportModelResult>(context, input);

    public static Task<EvaluateModelResult> EvaluateModelAsync(this TaskOrchestrationContext context, EvaluateModelInput input) =>
        Call<EvaluateModelActivity, EvaluateModelInput, EvaluateModelResult>(context, input);

    public static Task<string> PublishModelAsync(this TaskOrchestrationContext context, PublishModelInput input) =>
        Call<PublishModelActivity, PublishModelInput, string>(context, input);

    public static Task<bool> PromoteModelAsync(this TaskOrchestrationContext context, string version) =>
        Call<PromoteModelActivity, string, bool>(context, version);

    private static Task<TOutput> Call<TActivity, TInput, TOutput>(TaskOrchestrationContext context, TInput input)
        where TActivity : TaskActivity<TInput, TOutput> =>
        context.CallActivityAsync<TOutput>(typeof(TActivity).Name, input, RetryTransient);
}
