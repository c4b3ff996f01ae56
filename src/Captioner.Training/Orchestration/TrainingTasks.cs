using Captioner.Training.Orchestration.Activities;
using Microsoft.DurableTask;

namespace Captioner.Training.Orchestration;

/// <summary>Registers the training orchestrator and its activities with a Durable Task worker.</summary>
public static class TrainingTasks
{
    public static DurableTaskRegistry AddTrainingTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<TrainingOrchestrator>()
            .AddActivity<PrepareDatasetActivity>()
            .AddActivity<BuildVocabularyActivity>()
            .AddActivity<ExtractFeatureShardActivity>()
            .AddActivity<TrainChunkActivity>()
            .AddActivity<ExportModelActivity>()
            .AddActivity<EvaluateModelActivity>()
            .AddActivity<PublishModelActivity>()
            .AddActivity<PromoteModelActivity>();
    }
}
