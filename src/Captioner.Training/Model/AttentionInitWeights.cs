namespace Captioner.Training.Model;

/// <summary>What every attention kind's init graph needs: the map's standardisation, the initial state's layers and the map's projection.</summary>
internal sealed record AttentionInitWeights(
    int FeatureSize,
    int HiddenSize,
    int AttentionSize,
    float[] FeatureMean,
    float[] FeatureScale,
    float[] InitHiddenWeight,
    float[] InitHiddenBias,
    float[] InitCellWeight,
    float[] InitCellBias,
    float[] MapProjectionWeight,
    float[] MapProjectionBias);
