namespace Captioner.Training.Model;

/// <summary>
/// The trained soft-attention decoder's weights, row-major with torch's shapes, LSTM gates in torch order
/// (i, f, g, o); the map's standardisation and the once-per-image layers are in <see cref="Init"/>.
/// </summary>
internal sealed record AttentionDecoderWeights(
    AttentionInitWeights Init,
    int VocabularySize,
    int EmbeddingSize,
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
    float[] OutputBias);
