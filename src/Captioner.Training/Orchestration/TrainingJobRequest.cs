using Captioner.Core.Storage;
using Captioner.Core;
using Captioner.Evaluation.Data;
using Captioner.Core.Models;
using Captioner.Core.Pipeline;
using Captioner.Core.Training;

namespace Captioner.Training.Orchestration;

/// <summary>
/// What a training job trains on and how: the body of <c>POST /api/training</c>. Images are blobs named
/// <c>{ImagesPrefix}{image_file}</c> in <see cref="Container"/>; the captions and split files are blobs of the same container.
/// </summary>
public sealed record TrainingJobRequest
{
    /// <summary>Container holding the dataset (default <c>training</c>).</summary>
    public string Container { get; init; } = StorageNames.Training;

    /// <summary>Folder of the images, e.g. <c>datasets/flickr8k/images/</c>.</summary>
    public string ImagesPrefix { get; init; } = string.Empty;

    /// <summary>Blob name of the captions file.</summary>
    public string Captions { get; init; } = string.Empty;

    /// <summary>Captions file layout: <c>auto</c>, <c>tsv</c>, <c>flickr8k</c> (Flickr8k.token.txt) or <c>coco</c>.</summary>
    public string Format { get; init; } = "auto";

    /// <summary>Blob listing the training images, one per line; without it, every image not in dev.</summary>
    public string? TrainSplit { get; init; }

    /// <summary>Blob listing the dev images; without any split file, <see cref="DevFraction"/> of the images by name hash.</summary>
    public string? DevSplit { get; init; }

    /// <summary>Share of images held out for dev when no split files are given.</summary>
    public double DevFraction { get; init; } = 0.1;

    /// <summary>Name recorded in the manifest and used in the default version.</summary>
    public string DatasetName { get; init; } = "custom";

    /// <summary>Model version to publish; default <c>{DatasetName}-{yyyyMMdd-HHmmss}</c> of the start time.</summary>
    public string? Version { get; init; }

    /// <summary>Make the new model current even when its dev CIDEr-D is below the current model's.</summary>
    public bool Force { get; init; }

    /// <summary>Images per feature-extraction activity.</summary>
    public int ShardSize { get; init; } = 500;

    /// <summary>Epochs per training activity (each activity resumes from the last checkpoint).</summary>
    public int EpochsPerChunk { get; init; } = 1;

    /// <summary>
    /// Optional: the model to fine-tune, a version or <c>current</c> (resolved when the job starts); null trains from
    /// scratch. Fine-tuning grows the base's vocabulary and starts from its weights (<see cref="TrainingOptions.FineTuning"/>).
    /// </summary>
    public string? From { get; init; }

    /// <summary>The model and optimisation settings, as for local training.</summary>
    public TrainingOptions Options { get; init; } = new();

    /// <summary>
    /// The first problem with the request, or null when it can be started. A job reads only its own container
    /// (<paramref name="trainingContainer"/>); dataset paths are blob names by the one image-name rule (no '.' or '..'
    /// segments, no control characters); every option is in its range (<see cref="TrainingOptions.Validate"/>).
    /// </summary>
    public string? Validate(string trainingContainer)
    {
        if (Container != trainingContainer)
        {
            return $"'container' must be '{trainingContainer}': a training job reads only its own container (got '{PrintableText.Of(Container)}').";
        }

        if (string.IsNullOrWhiteSpace(Captions))
        {
            return "'captions' (the captions file's blob name) is required.";
        }

        foreach (var (field, path) in new[] { ("captions", Captions), ("trainSplit", TrainSplit), ("devSplit", DevSplit) })
        {
            if (path is not null && ImageNames.Problem(path) is { } problem)
            {
                return $"'{field}': {problem}";
            }
        }

        if (ImageNames.PrefixProblem(ImagesPrefix) is { } prefixProblem)
        {
            return $"'imagesPrefix': {prefixProblem}";
        }

        try
        {
            CaptionFiles.ParseFormat(Format);
        }
        catch (InvalidDataException ex)
        {
            return $"'format': {ex.Message}";
        }

        if ((TrainingRequestFields.DatasetNameProblem(DatasetName) ?? TrainingRequestFields.VersionProblem(Version) ?? TrainingRequestFields.FromProblem(From)) is { } nameProblem)
        {
            return nameProblem;
        }

        if (DevFraction is not (> 0 and < 1))
        {
            return "'devFraction' must be between 0 and 1.";
        }

        if (ShardSize is < 1 or > 10_000)
        {
            return "'shardSize' must be between 1 and 10000.";
        }

        if (EpochsPerChunk is < 1 or > 10)
        {
            return "'epochsPerChunk' must be between 1 and 10.";
        }

        if (From is not null)
        {
            // Checked above so a hostile value is refused as such; the job's fine-tuning is local only for now.
            return "'from': fine-tuning in the training job is not available yet; fine-tune locally with 'captioner train --from MODEL_DIR' and publish the folder.";
        }

        if (Options is { FlipImages: true })
        {
            // The job's feature fan-out encodes each photo once; flipped copies are a local training option for now.
            return "options: 'flipImages' is not supported by the training job yet; train locally with 'captioner train --flip-images'.";
        }

        return Options is null ? "'options' must be an object." : Options.Validate() is { } optionsProblem ? $"options: {optionsProblem}" : null;
    }
}
