namespace Captioner.Training.Export;

/// <summary>How an ensemble joins its members' next-word distributions.</summary>
public enum EnsembleRule
{
    /// <summary>The mean of the members' probabilities: log(mean_m p_m).</summary>
    MeanProbability,

    /// <summary>The normalised geometric mean (product of experts): softmax(mean_m logits_m); one softmax per step instead of one per member.</summary>
    GeometricMean,
}
