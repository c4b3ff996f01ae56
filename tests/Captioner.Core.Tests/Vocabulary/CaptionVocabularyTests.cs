using Captioner.Core.Vocabulary;

namespace Captioner.Core.Tests.Vocabulary;

public class CaptionVocabularyTests
{
    private static readonly IReadOnlyList<string>[] Captions =
    [
        ["a", "dog", "runs"],
        ["a", "dog", "sits"],
        ["a", "cat", "sits"],
    ];

    [Fact]
    public void Build_keeps_words_at_the_minimum_count_in_frequency_order_after_the_reserved_tokens()
    {
        var vocabulary = CaptionVocabulary.Build(Captions, minimumCount: 2);

        Assert.Equal(["#PAD#", "#UNK#", "#START#", "#END#", "a", "dog", "sits"], vocabulary.Words);
        Assert.Equal(2, vocabulary.MinimumCount);
    }

    [Fact]
    public void Encode_wraps_in_start_and_end_maps_rare_words_to_unknown_and_truncates()
    {
        var vocabulary = CaptionVocabulary.Build(Captions, minimumCount: 2);

        Assert.Equal([SpecialTokens.StartId, 4, 1, 6, SpecialTokens.EndId], vocabulary.Encode(["a", "cat", "sits"], maxWords: 10));
        Assert.Equal([SpecialTokens.StartId, 4, SpecialTokens.EndId], vocabulary.Encode(["a", "cat", "sits"], maxWords: 1));
    }

    [Fact]
    public void Decode_stops_at_end_and_skips_start_and_padding()
    {
        var vocabulary = CaptionVocabulary.Build(Captions, minimumCount: 2);

        Assert.Equal("a dog", vocabulary.Decode([SpecialTokens.StartId, 4, 5, SpecialTokens.EndId, 6, SpecialTokens.PadId]));
    }

    [Fact]
    public void Save_and_load_round_trip_the_same_words()
    {
        var vocabulary = CaptionVocabulary.Build(Captions, minimumCount: 1);
        using var stream = new MemoryStream();
        vocabulary.Save(stream);
        stream.Position = 0;

        var loaded = CaptionVocabulary.Load(stream);

        Assert.Equal(vocabulary.Words, loaded.Words);
        Assert.Equal(1, loaded.MinimumCount);
    }

    [Fact]
    public void Load_refuses_a_file_without_the_reserved_tokens()
    {
        using var stream = new MemoryStream("{\"minCount\":1,\"words\":[\"a\",\"b\"]}"u8.ToArray());

        Assert.Throws<InvalidDataException>(() => CaptionVocabulary.Load(stream));
    }
}
