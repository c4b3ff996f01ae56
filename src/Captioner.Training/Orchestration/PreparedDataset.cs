using Captioner.Evaluation.Data;

namespace Captioner.Training.Orchestration;

/// <summary>The validated train and dev images of a job with their captions (the job's <c>dataset.json</c>).</summary>
public sealed record PreparedDataset(string Container, string ImagesPrefix, IReadOnlyList<CaptionedImage> Train, IReadOnlyList<CaptionedImage> Dev)
{
    public IReadOnlyList<CaptionedImage> Split(string name) => name switch
    {
        "train" => Train,
        "dev" => Dev,
        _ => throw new ArgumentException($"Unknown split '{name}'.", nameof(name)),
    };
}
