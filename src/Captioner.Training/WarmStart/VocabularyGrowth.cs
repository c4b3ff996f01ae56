using System.Globalization;
using Captioner.Core.Vocabulary;

namespace Captioner.Training.WarmStart;

/// <summary>What a warm start did to the vocabulary, in words for progress and logs.</summary>
internal static class VocabularyGrowth
{
    private const int Listed = 12;

    public static string Describe(BaseModel baseModel, CaptionVocabulary grown, int minimumCount)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        ArgumentNullException.ThrowIfNull(grown);
        var added = grown.Words.Skip(baseModel.Vocabulary.Count).ToList();
        var list = added.Count == 0 ? "none" : string.Join(", ", added.Take(Listed)) + (added.Count > Listed ? ", ..." : string.Empty);
        return string.Create(CultureInfo.InvariantCulture, $"from {baseModel.Manifest.Version}: its {baseModel.Vocabulary.Count} ids kept, {added.Count} new words seen at least {minimumCount} times ({list})");
    }
}
