using Captioner.Core.Vocabulary;
using Microsoft.DurableTask;

namespace Captioner.Training.Orchestration.Activities;

/// <summary>Input of <see cref="BuildVocabularyActivity"/>.</summary>
public sealed record BuildVocabularyInput(string JobId, int MinWordCount);

/// <summary>Builds the vocabulary from the training captions and writes the job's <c>vocab.json</c>; returns its size.</summary>
public sealed class BuildVocabularyActivity(TrainingWorkspace workspace) : TaskActivity<BuildVocabularyInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, BuildVocabularyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var dataset = await workspace.LoadDatasetAsync(input.JobId, CancellationToken.None).ConfigureAwait(false);
        var vocabulary = CaptionVocabulary.Build(dataset.Train.SelectMany(image => image.Captions).Select(c => (IReadOnlyList<string>)CaptionTokenizer.Tokenize(c)), input.MinWordCount);
        using var stream = new MemoryStream();
        vocabulary.Save(stream);
        await workspace.UploadAsync(TrainingWorkspace.VocabularyBlob(input.JobId), BinaryData.FromBytes(stream.ToArray()), CancellationToken.None).ConfigureAwait(false);
        return vocabulary.Count;
    }
}
