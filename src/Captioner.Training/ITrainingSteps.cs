using Captioner.Training.Orchestration;

namespace Captioner.Training;

/// <summary>
/// What a training driver supplies to <see cref="TrainingSequence"/>: each step over its own storage (local files and a
/// feature cache, or the job's blobs through activities), reporting its own progress. The order is the sequence's.
/// </summary>
public interface ITrainingSteps
{
    /// <summary>The epochs run so far: where training resumes.</summary>
    TrainingProgressState Progress { get; }

    /// <summary>True when the dataset, vocabulary and features are ready from before (a job continued as new).</summary>
    bool HasData { get; }

    /// <summary>Reads the captions and splits and checks them.</summary>
    Task PrepareDatasetAsync();

    /// <summary>Builds the vocabulary from the training captions.</summary>
    Task BuildVocabularyAsync();

    /// <summary>Encodes the training and dev images (or finds them encoded).</summary>
    Task ExtractFeaturesAsync();

    /// <summary>Runs <paramref name="plan"/> and adds its epochs to <see cref="Progress"/>.</summary>
    Task TrainChunkAsync(TrainingChunkPlan plan);

    /// <summary>Exports the best epoch to a model folder (ONNX graphs, parity checked).</summary>
    Task ExportAsync();

    /// <summary>Scores the exported model on dev and records the scores in its manifest.</summary>
    Task EvaluateAsync();

    /// <summary>Makes the model available: the finished folder locally; publish (and promote when not worse) in the job.</summary>
    Task PublishAsync();
}
