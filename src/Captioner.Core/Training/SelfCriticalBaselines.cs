namespace Captioner.Core.Training;

/// <summary>The baselines a self-critical reward is measured against (<see cref="TrainingOptions.SelfCriticalBaseline"/>).</summary>
public static class SelfCriticalBaselines
{
    /// <summary>The reward of the model's greedy caption of the image.</summary>
    public const string Greedy = "greedy";

    /// <summary>The mean reward of the other captions sampled for the image.</summary>
    public const string Samples = "samples";
}
