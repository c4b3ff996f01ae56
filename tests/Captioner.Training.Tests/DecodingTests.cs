using Captioner.Evaluation.Captioning;
using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.Core.Models;

namespace Captioner.Training.Tests;

/// <summary>The ONNX Runtime step loop's decoding modes, on the tiny trained model and real dev features.</summary>
[Collection(TinyModelGroup.Name)]
public sealed class DecodingTests : IDisposable
{
    private readonly CaptioningModel _model;
    private readonly float[] _features;
    private readonly int _count;

    public DecodingTests(TinyModelFixture fixture)
    {
        _model = CaptioningModel.LoadFolder(fixture.ModelDirectory);
        _features = fixture.DecodingFeatures;
        _count = TinyModelFixture.DecodingImages;
    }

    [Fact]
    public void Beam_search_of_width_one_equals_greedy()
    {
        var greedy = Captions(DecodingOptions.Greedy);
        var beam = Captions(DecodingOptions.BeamSearch(1) with { LengthPenalty = 0 });

        Assert.Equal(greedy, beam);
    }

    [Fact]
    public void Sampling_among_the_top_one_equals_greedy()
    {
        var greedy = Captions(DecodingOptions.Greedy);
        var topOne = Captions(new DecodingOptions { Mode = DecodingMode.Sample, TopK = 1, Temperature = 2.0, Seed = 3 });

        Assert.Equal(greedy, topOne);
    }

    [Fact]
    public void Sampling_with_a_seed_is_reproducible_and_seeds_differ()
    {
        var options = new DecodingOptions { Mode = DecodingMode.Sample, Temperature = 1.5, Seed = 42 };

        Assert.Equal(Captions(options), Captions(options));
        Assert.NotEqual(Captions(options), Captions(options with { Seed = 43 }));
    }

    [Fact]
    public void A_very_low_temperature_samples_the_greedy_caption()
    {
        Assert.Equal(Captions(DecodingOptions.Greedy), Captions(new DecodingOptions { Mode = DecodingMode.Sample, Temperature = 1e-7, Seed = 1 }));
    }

    [Fact]
    public void Beam_search_returns_distinct_n_best_ranked_by_length_normalised_score()
    {
        var options = DecodingOptions.BeamSearch(4);
        var results = _model.Decoder.Decode(_features, _count, options);

        Assert.All(results, result =>
        {
            Assert.InRange(result.NBest.Count, 1, 4);
            Assert.Equal(result.NBest.Count, result.NBest.Select(h => string.Join(',', h.Tokens)).Distinct().Count());
            Assert.Equal(result.NBest.OrderByDescending(h => h.Score).Select(h => h.Score), result.NBest.Select(h => h.Score));
            Assert.All(result.NBest, h => Assert.Equal(h.LogProbability / Math.Pow(h.Tokens.Count + 1, options.LengthPenalty), h.Score, 9));
            Assert.Equal(result.NBest[0].Caption, result.Caption);
            Assert.True(result.LogProbability < 0);
        });
    }

    [Fact]
    public void Beam_search_finds_captions_at_least_as_likely_as_greedy_on_average()
    {
        var greedy = _model.Decoder.Decode(_features, _count, DecodingOptions.Greedy);
        var beam = _model.Decoder.Decode(_features, _count, DecodingOptions.BeamSearch(5) with { LengthPenalty = 0 });

        Assert.True(beam.Average(b => b.LogProbability) >= greedy.Average(g => g.LogProbability) - 1e-6);
    }

    [Theory]
    [InlineData(DecodingMode.Greedy)]
    [InlineData(DecodingMode.Sample)]
    [InlineData(DecodingMode.Beam)]
    public void No_caption_exceeds_the_word_limit(DecodingMode mode)
    {
        var captions = Captions(new DecodingOptions { Mode = mode, MaxWords = 3, Seed = 5 });

        Assert.All(captions, caption => Assert.InRange(caption.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length, 1, 3));
    }

    [Theory]
    [InlineData(DecodingMode.Greedy)]
    [InlineData(DecodingMode.Beam)]
    public void Batched_decoding_equals_decoding_one_image_at_a_time(DecodingMode mode)
    {
        var options = mode == DecodingMode.Beam ? DecodingOptions.BeamSearch(3) : DecodingOptions.Greedy;
        var batched = Captions(options);
        var single = Enumerable.Range(0, _count)
            .Select(i => _model.Decoder.Decode(_features.AsSpan(i * EncoderIdentity.FeatureSize, EncoderIdentity.FeatureSize), 1, options)[0].Caption)
            .ToList();

        Assert.True(batched.Select(c => c.Split(' ').Length).Distinct().Count() > 1, "captions should end at different lengths, so finished rows leave the batch");
        Assert.Equal(single, batched);
    }

    [Fact]
    public void The_step_loop_allocates_no_managed_memory_per_step()
    {
        using var buffers = _model.Decoder.CreateBuffers(16);
        _model.Decoder.Initialise(_features[..(16 * EncoderIdentity.FeatureSize)], 16, buffers, repeat: 1);
        Array.Fill(buffers.Tokens, 2L);
        _model.Decoder.Step(buffers);
        buffers.Flip();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 50; step++)
        {
            _model.Decoder.Step(buffers);
            buffers.Flip();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Captions(new DecodingOptions { Mode = DecodingMode.Sample, Temperature = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Captions(DecodingOptions.BeamSearch(0)));
    }

    [Theory]
    [InlineData(DecodingMode.Greedy)]
    [InlineData(DecodingMode.Sample)]
    [InlineData(DecodingMode.Beam)]
    public void Every_caption_begun_with_given_words_starts_with_them_under_each_decoding(DecodingMode mode)
    {
        var (first, second) = (_model.Vocabulary.WordOf(5), _model.Vocabulary.WordOf(9));
        var options = new DecodingOptions { Mode = mode, Seed = 7, BeginWith = $"{first} {second}" };

        var results = _model.Decoder.Decode(_features, _count, options);

        Assert.All(results, result =>
        {
            Assert.StartsWith($"{first} {second}", result.Caption, StringComparison.Ordinal);
            Assert.All(result.NBest, h => Assert.Equal(new[] { 5, 9 }, h.Tokens.Take(2)));
        });
    }

    [Fact]
    public void Given_the_words_greedy_would_choose_greedy_continues_exactly_as_without_them()
    {
        // The given words are fed as if chosen: after its own first two words, the model's continuation is unchanged.
        for (var image = 0; image < _count; image++)
        {
            var features = _features.AsSpan(image * EncoderIdentity.FeatureSize, EncoderIdentity.FeatureSize);
            var greedy = _model.Decoder.Decode(features, 1, DecodingOptions.Greedy)[0];
            var begun = _model.Decoder.Decode(features, 1, DecodingOptions.Greedy with { BeginWith = string.Join(' ', greedy.Caption.Split(' ').Take(2)) })[0];

            Assert.Equal(greedy.Caption, begun.Caption);
            Assert.Equal(greedy.LogProbability, begun.LogProbability, 9);
        }
    }

    [Fact]
    public void Given_words_the_model_would_not_choose_change_what_follows_and_cost_log_probability()
    {
        var greedy = _model.Decoder.Decode(_features, _count, DecodingOptions.Greedy);
        var unlikely = _model.Vocabulary.WordOf(_model.Vocabulary.Count - 1);
        var begun = _model.Decoder.Decode(_features, _count, DecodingOptions.Greedy with { BeginWith = unlikely });

        Assert.All(begun, b => Assert.StartsWith(unlikely + " ", b.Caption + " ", StringComparison.Ordinal));
        Assert.True(begun.Average(b => b.LogProbability) < greedy.Average(g => g.LogProbability));
    }

    [Fact]
    public void A_word_outside_the_vocabulary_is_refused_before_decoding()
    {
        var error = Assert.Throws<ArgumentException>(() => Captions(DecodingOptions.BeamSearch(3) with { BeginWith = "a qwxzv" }));

        Assert.Contains("'qwxzv'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _model.Dispose();

    private List<string> Captions(DecodingOptions options) =>
        [.. _model.Decoder.Decode(_features, _count, options).Select(c => c.Caption)];
}
