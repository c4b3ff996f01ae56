using Captioner.Core.Vocabulary;
using Captioner.Training.Data;
using Captioner.Core.Training;

namespace Captioner.Training.Orchestration;

/// <summary>Everything a training or export activity needs of a job: dataset, vocabulary, features and caption pairs.</summary>
internal sealed record JobTrainingData(PreparedDataset Dataset, CaptionVocabulary Vocabulary, ImageFeatureSet TrainFeatures, ImageFeatureSet DevFeatures, CaptionPairs TrainPairs, CaptionPairs DevPairs)
{
    public static async Task<JobTrainingData> LoadAsync(TrainingWorkspace workspace, string jobId, TrainingOptions options, int shardSize, CancellationToken cancellationToken)
    {
        var dataset = await workspace.LoadDatasetAsync(jobId, cancellationToken).ConfigureAwait(false);
        var vocabulary = await workspace.LoadVocabularyAsync(jobId, cancellationToken).ConfigureAwait(false);
        var train = await workspace.LoadFeaturesAsync(jobId, dataset, "train", shardSize, cancellationToken).ConfigureAwait(false);
        var dev = await workspace.LoadFeaturesAsync(jobId, dataset, "dev", shardSize, cancellationToken).ConfigureAwait(false);
        return new JobTrainingData(dataset, vocabulary, train, dev, new CaptionPairs(dataset.Train, vocabulary, options.MaxWords), new CaptionPairs(dataset.Dev, vocabulary, options.MaxWords));
    }

    public CaptionTrainer CreateTrainer(TrainingOptions options) => new(options, Vocabulary, TrainFeatures, Dataset.Train, TrainPairs, DevFeatures, DevPairs);
}
