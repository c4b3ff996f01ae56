namespace Captioner.Training.Model;

/// <summary>
/// The trained decoder's weights, row-major with torch's shapes; LSTM gates in torch order (i, f, g, o).
/// The init layers already include feature standardisation.
/// </summary>
internal sealed record DecoderWeights(
    int FeatureSize,
    int VocabularySize,
    int EmbeddingSize,
    int HiddenSize,
    float[] InitHiddenWeight,
    float[] InitHiddenBias,
    float[] InitCellWeight,
    float[] InitCellBias,
    float[] Embedding,
    float[] InputWeight,
    float[] HiddenWeight,
    float[] InputBias,
    float[] HiddenBias,
    float[] OutputWeight,
    float[] OutputBias);
