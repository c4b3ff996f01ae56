namespace Captioner.Training.Model;

/// <summary>
/// The trained adaptive-attention decoder's weights, row-major with torch's shapes, LSTM gates in torch order
/// (i, f, g, o); the map's standardisation and the once-per-image layers are in <see cref="Init"/>.
/// </summary>
internal sealed record AdaptiveAttentionWeights(
    AttentionInitWeights Init,
    int VocabularySize,
    int EmbeddingSize,
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
    float[] OutputBias);
