namespace Captioner.Training.Model;

/// <summary>
/// The trained soft-attention decoder's weights, row-major with torch's shapes, LSTM gates in torch order
/// (i, f, g, o). The per-channel standardisation of the map (<see cref="FeatureMean"/>,
/// <see cref="FeatureScale"/>) is kept apart; the exporter folds it into the layers that read the map.
/// </summary>
internal sealed record AttentionDecoderWeights(
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
    float[] ScoreWeight,
    float[] GateWeight,
    float[] GateBias,
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
