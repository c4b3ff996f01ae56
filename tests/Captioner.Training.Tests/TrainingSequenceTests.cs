using Captioner.Core.Training;
using Captioner.Training.Orchestration;

namespace Captioner.Training.Tests;

/// <summary>The one sequence both drivers run, with steps that only record what they were asked to do.</summary>
public class TrainingSequenceTests
{
    private static readonly TrainingOptions Options = new() { MaxEpochs = 3, SelfCriticalEpochs = 2, Patience = 5 };

    [Fact]
    public async Task The_steps_run_in_the_jobs_order_with_training_chunks_until_both_phases_are_done()
    {
        var steps = new RecordingSteps();

        var finished = await TrainingSequence.RunAsync(steps, Options, epochsPerChunk: 2);

        Assert.True(finished);
        Assert.Equal(
            ["dataset", "vocabulary", "features", "cross-entropy 1-2", "cross-entropy 3-3", "self-critical 4-5", "export", "evaluation", "publish"],
            steps.Calls);
    }

    [Fact]
    public async Task A_run_with_its_data_ready_resumes_at_the_next_epoch_and_stops_after_its_chunk_budget()
    {
        var steps = new RecordingSteps(hasData: true);
        steps.Train(new TrainingChunkPlan(EpochPhase.CrossEntropy, 0, false, 1, 1, 0));
        steps.Calls.Clear();

        var finished = await TrainingSequence.RunAsync(steps, Options, epochsPerChunk: 1, maxChunks: 2);

        Assert.False(finished);
        Assert.Equal(["cross-entropy 2-2", "cross-entropy 3-3"], steps.Calls);
    }

    private sealed class RecordingSteps(bool hasData = false) : ITrainingSteps
    {
        public List<string> Calls { get; } = [];

        public TrainingProgressState Progress { get; private set; } = new();

        public bool HasData => hasData;

        public Task PrepareDatasetAsync() => Record("dataset");

        public Task BuildVocabularyAsync() => Record("vocabulary");

        public Task ExtractFeaturesAsync() => Record("features");

        public Task TrainChunkAsync(TrainingChunkPlan plan)
        {
            Train(plan);
            return Task.CompletedTask;
        }

        public Task ExportAsync() => Record("export");

        public Task EvaluateAsync() => Record("evaluation");

        public Task PublishAsync() => Record("publish");

        public void Train(TrainingChunkPlan plan)
        {
            Calls.Add($"{Core.KebabCase.Of(plan.Phase)} {plan.FirstEpoch}-{plan.LastEpoch}");

            // Every epoch better than the last, so neither phase stops early.
            Progress = Progress.Apply(
                Enumerable.Range(plan.FirstEpoch, plan.Epochs).Select(epoch => new EpochMetrics(epoch, 1, 1.0 / epoch, epoch, 1e-3, 1) { Phase = plan.Phase }),
                Options);
        }

        private Task Record(string step)
        {
            Calls.Add(step);
            return Task.CompletedTask;
        }
    }
}
