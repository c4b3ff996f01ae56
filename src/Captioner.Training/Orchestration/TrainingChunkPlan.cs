namespace Captioner.Training.Orchestration;

/// <summary>
/// The next piece of training: <paramref name="Epochs"/> epochs of <paramref name="Phase"/> numbered from
/// <paramref name="FirstEpoch"/>, starting from the checkpoint of <paramref name="ResumeFromEpoch"/> (0: from
/// scratch); with <paramref name="FreshOptimizer"/> only its weights are loaded (the self-critical phase
/// starts a new Adam from the best cross-entropy epoch). <paramref name="KeepEpoch"/> is the best epoch so far,
/// whose checkpoint pruning keeps.
/// </summary>
public sealed record TrainingChunkPlan(EpochPhase Phase, int ResumeFromEpoch, bool FreshOptimizer, int FirstEpoch, int Epochs, int KeepEpoch)
{
    public int LastEpoch => FirstEpoch + Epochs - 1;
}
