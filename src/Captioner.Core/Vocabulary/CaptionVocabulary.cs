using System.Text.Json;
using System.Text.Json.Serialization;

namespace Captioner.Core.Vocabulary;

/// <summary>
/// Maps words to ids and back. Built from training captions with a minimum word count; the
/// reserved tokens of <see cref="SpecialTokens"/> always take ids 0..3.
/// </summary>
public sealed class CaptionVocabulary
{
    private readonly string[] _words;
    private readonly Dictionary<string, int> _ids;

    private CaptionVocabulary(string[] words, int minimumCount)
    {
        for (var i = 0; i < SpecialTokens.All.Count; i++)
        {
            if (words.Length <= i || words[i] != SpecialTokens.All[i])
            {
                throw new InvalidDataException($"Vocabulary must start with the reserved tokens {string.Join(", ", SpecialTokens.All)}.");
            }
        }

        _words = words;
        _ids = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++)
        {
            if (!_ids.TryAdd(words[i], i))
            {
                throw new InvalidDataException($"Vocabulary lists '{words[i]}' twice.");
            }
        }

        MinimumCount = minimumCount;
    }

    /// <summary>Number of ids, reserved tokens included.</summary>
    public int Count => _words.Length;

    /// <summary>The minimum count a word needed in the training captions.</summary>
    public int MinimumCount { get; }

    /// <summary>The words in id order.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>Builds a vocabulary from tokenised captions, keeping words seen at least <paramref name="minimumCount"/> times.</summary>
    public static CaptionVocabulary Build(IEnumerable<IReadOnlyList<string>> tokenizedCaptions, int minimumCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumCount, 1);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var caption in tokenizedCaptions)
        {
            foreach (var token in caption)
            {
                counts[token] = counts.GetValueOrDefault(token) + 1;
            }
        }

        // Frequency order (ties by word) makes ids stable across runs on the same data.
        var kept = counts
            .Where(pair => pair.Value >= minimumCount && !SpecialTokens.All.Contains(pair.Key))
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => pair.Key);
        return new CaptionVocabulary([.. SpecialTokens.All, .. kept], minimumCount);
    }

    /// <summary>
    /// This vocabulary grown by the words of <paramref name="tokenizedCaptions"/> it lacks, kept when seen at least
    /// <paramref name="minimumCount"/> times there: every known word keeps its id (a model's rows stay where they are),
    /// the new words follow in frequency order (ties by word). The minimum count recorded stays this vocabulary's.
    /// </summary>
    public CaptionVocabulary Grow(IEnumerable<IReadOnlyList<string>> tokenizedCaptions, int minimumCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumCount, 1);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in tokenizedCaptions.SelectMany(caption => caption).Where(token => !_ids.ContainsKey(token)))
        {
            counts[token] = counts.GetValueOrDefault(token) + 1;
        }

        var added = counts
            .Where(pair => pair.Value >= minimumCount)
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => pair.Key);
        return new CaptionVocabulary([.. _words, .. added], MinimumCount);
    }

    /// <summary>The id of <paramref name="word"/>, or <see cref="SpecialTokens.UnknownId"/>.</summary>
    public int IdOf(string word) => _ids.TryGetValue(word, out var id) ? id : SpecialTokens.UnknownId;

    /// <summary>The word with id <paramref name="id"/>.</summary>
    public string WordOf(int id) => _words[id];

    /// <summary>Encodes tokens as <c>#START# w1 .. wn #END#</c>, truncated to <paramref name="maxWords"/> words.</summary>
    public int[] Encode(IReadOnlyList<string> tokens, int maxWords)
    {
        var length = Math.Min(tokens.Count, maxWords);
        var ids = new int[length + 2];
        ids[0] = SpecialTokens.StartId;
        for (var i = 0; i < length; i++)
        {
            ids[i + 1] = IdOf(tokens[i]);
        }

        ids[^1] = SpecialTokens.EndId;
        return ids;
    }

    /// <summary>Joins the words of <paramref name="ids"/>, stopping at the end token and skipping reserved ones.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var words = new List<string>();
        foreach (var id in ids)
        {
            if (id == SpecialTokens.EndId)
            {
                break;
            }

            if (id is SpecialTokens.PadId or SpecialTokens.StartId)
            {
                continue;
            }

            words.Add(_words[id]);
        }

        return string.Join(' ', words);
    }

    /// <summary>Writes the vocabulary as JSON.</summary>
    public void Save(Stream stream) =>
        JsonSerializer.Serialize(stream, new VocabularyDocument(MinimumCount, _words), VocabularyJson.Default.VocabularyDocument);

    /// <summary>Reads a vocabulary written by <see cref="Save"/>.</summary>
    public static CaptionVocabulary Load(Stream stream)
    {
        var document = JsonSerializer.Deserialize(stream, VocabularyJson.Default.VocabularyDocument)
            ?? throw new InvalidDataException("Vocabulary file is empty.");
        return new CaptionVocabulary(document.Words ?? throw new InvalidDataException("Vocabulary file has no words."), document.MinimumCount);
    }

    internal sealed record VocabularyDocument(
        [property: JsonPropertyName("minCount")] int MinimumCount,
        [property: JsonPropertyName("words")] string[]? Words);
}

[JsonSerializable(typeof(CaptionVocabulary.VocabularyDocument))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class VocabularyJson : JsonSerializerContext;
