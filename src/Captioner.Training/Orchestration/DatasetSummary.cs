namespace Captioner.Training.Orchestration;

/// <summary>What the prepare step found: counts, the detected captions format and the feature shards to extract.</summary>
public sealed record DatasetSummary(string Format, int TrainImages, int DevImages, int TrainCaptions, int DevCaptions, IReadOnlyList<FeatureShard> Shards);

/// <summary>A slice of a split whose features one activity extracts into one blob.</summary>
public sealed record FeatureShard(string Split, int Index, int Start, int Count);
