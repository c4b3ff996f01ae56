namespace Captioner.Training.Orchestration;

/// <summary>The two training phases an epoch belongs to.</summary>
public static class TrainingPhases
{
    /// <summary>Teacher-forced masked cross-entropy.</summary>
    public const string CrossEntropy = "cross-entropy";

    /// <summary>Self-critical sequence training on the CIDEr-D reward.</summary>
    public const string SelfCritical = "self-critical";
}
