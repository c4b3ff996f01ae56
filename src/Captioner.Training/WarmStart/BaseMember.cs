namespace Captioner.Training.WarmStart;

/// <summary>
/// One decoder of a base model, read back from its graphs: its kind, sizes and every weight under the name the training
/// module's state gives it (<c>embedding.weight</c>, <c>init.featureMean</c>, ...), row-major with torch's shapes.
/// </summary>
internal sealed record BaseMember(string Kind, int EmbeddingSize, int HiddenSize, int AttentionSize, IReadOnlyDictionary<string, float[]> State);
