using Captioner.Core.Training;
namespace Captioner.Training;

/// <summary>What to train on and where the model goes.</summary>
public sealed record TrainingRequest
{
    /// <summary>Folder of the images named in the captions file.</summary>
    public required string ImagesDirectory { get; init; }

    /// <summary>The captions file: <c>image_file&lt;TAB&gt;caption</c> lines, Flickr8k's token file or COCO captions JSON (detected, as the training job does).</summary>
    public required string CaptionsFile { get; init; }

    public required string TrainSplitFile { get; init; }

    public required string DevSplitFile { get; init; }

    /// <summary>
    /// Optional: a teacher's captions of training images (any captions format; <c>eval --write-captions</c> writes
    /// one), added as cross-entropy targets only (sequence-level distillation). Null: human captions only.
    /// </summary>
    public string? TeacherCaptionsFile { get; init; }

    /// <summary>The model folder to write.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Where encoded features and checkpoints are kept between runs.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The model version to record; defaults to the dataset name and the time.</summary>
    public string? Version { get; init; }

    /// <summary>A name for the dataset, recorded in the manifest.</summary>
    public string DatasetName { get; init; } = "custom";

    public TrainingOptions Options { get; init; } = new();

    /// <summary>
    /// Optional: a model folder to start from (fine-tuning): its weights, feature standardisation and vocabulary, grown by
    /// the new captions' words (<see cref="TrainingOptions.NewWordMinCount"/>). Its decoder kind and sizes replace the options'.
    /// </summary>
    public string? FromModelDirectory { get; init; }

    /// <summary>Which decoder of an ensemble base this run fine-tunes (0 for a single model).</summary>
    public int FromMember { get; init; }
}
