namespace Captioner.Training.Model;

/// <summary>
/// The trained adaptive-attention decoder's weights, row-major with torch's shapes, LSTM gates in torch order
/// (i, f, g, o). The map's standardisation (<see cref="FeatureMean"/>, <see cref="FeatureScale"/>) is kept
/// apart; the exporter folds it into the layers that read the map.
/// </summary>
internal sealed record AdaptiveAttentionWeights(
    int FeatureSize,
    int VocabularySize,
    int EmbeddingSize,
    int HiddenSize,
    int AttentionSize,
    float[] FeatureMean,
    float[] FeatureScale,
    float[] InitHiddenWeight,
    float[] InitHiddenBias,
    float[] InitCellWeight,
    float[] InitCellBias,
    float[] MapProjectionWeight,
    float[] MapProjectionBias,
    float[] HiddenProjectionWeight,
    float[] HiddenProjectionBias,
    float[] SentinelProjectionWeight,
    float[] ScoreWeight,
    float[] GlobalFeatureWeight,
    float[] GlobalFeatureBias,
    float[] SentinelGateWeight,
    float[] SentinelGateBias,
    float[] RegionValueWeight,
    float[] Embedding,
    float[] InputWeight,
    float[] HiddenWeight,
    float[] InputBias,
    float[] HiddenBias,
    float[] OutputWeight,
    float[] OutputBias)
{
    /// <summary>The init graph's part.</summary>
    public AttentionInitWeights Init => new(
        FeatureSize, HiddenSize, AttentionSize, FeatureMean, FeatureScale,
        InitHiddenWeight, InitHiddenBias, InitCellWeight, InitCellBias, MapProjectionWeight, MapProjectionBias);
}
