using Captioner.Core.Features;
using Captioner.Core.Models;
using Captioner.Core.Training;
using Captioner.Training.Export;
using Captioner.Training.WarmStart;

namespace Captioner.Training.Tests;

/// <summary>Reading served model folders back into training weights, and what a grown vocabulary's new rows start as.</summary>
public sealed class WarmStartTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("captioner-warm-").FullName;

    [Theory]
    [InlineData(DecoderKinds.AdaptiveAttention)]
    [InlineData(DecoderKinds.SoftAttention)]
    [InlineData(DecoderKinds.ShowAndTell)]
    public void A_model_folder_read_back_computes_what_its_graphs_compute(string kind)
    {
        var folder = Folder(kind, "base", hidden: 32, seed: 1);
        var baseModel = BaseModel.Load(folder);

        var difference = ParityOfReadBack(baseModel, member: 0, folder);

        Assert.True(difference < 1e-4, $"{kind}: read back differs from the graphs by {difference:G3}");
    }

    [Fact]
    public void An_ensembles_decoders_read_back_each_compute_what_they_did_before_the_join_to_its_rounding()
    {
        var adaptive = Folder(DecoderKinds.AdaptiveAttention, "adaptive", hidden: 32, seed: 2);
        var soft = Folder(DecoderKinds.SoftAttention, "soft", hidden: 24, seed: 3);
        var joined = Path.Combine(_root, "joined");
        EnsembleExporter.Export([adaptive, soft], joined, "adaptive+soft", halfPrecision: true, int8Gates: true);

        var baseModel = BaseModel.Load(joined);

        Assert.Equal([DecoderKinds.AdaptiveAttention, DecoderKinds.SoftAttention], baseModel.Members.Select(m => m.Kind));
        Assert.Equal([32, 24], baseModel.Members.Select(m => m.HiddenSize));
        var adaptiveDifference = ParityOfReadBack(baseModel, 0, adaptive);
        var softDifference = ParityOfReadBack(baseModel, 1, soft);
        Assert.True(adaptiveDifference < 2e-2, $"adaptive member differs by {adaptiveDifference:G3}");
        Assert.True(softDifference < 2e-2, $"soft member differs by {softDifference:G3}");
    }

    [Fact]
    public void New_words_rows_start_like_unremarkable_known_words_and_known_rows_keep_their_weights()
    {
        var folder = Folder(DecoderKinds.AdaptiveAttention, "base", hidden: 32, seed: 4);
        var baseModel = BaseModel.Load(folder);
        var member = baseModel.Members[0];
        const int added = 3;
        using var decoder = CaptionTrainer.CreateDecoder(baseModel.OptionsFor(new TrainingOptions(), 0), TestModelFolders.Vocabulary + added);

        WarmStartWeights.Apply(decoder.Module, member, seed: 7);

        var state = decoder.Module.state_dict();
        var embedding = state["embedding.weight"].data<float>().ToArray();
        var bias = state["output.bias"].data<float>().ToArray();
        var width = member.EmbeddingSize;
        var known = TestModelFolders.Vocabulary * width;
        Assert.Equal(member.State["embedding.weight"], embedding[..known]);
        Assert.Equal(member.State["output.bias"], bias[..TestModelFolders.Vocabulary]);

        // New embeddings spread like the known words' (not zeros, not noise of another scale) and differ from each other.
        var knownSpread = Spread(embedding[(4 * width)..known]);
        var newSpread = Spread(embedding[known..]);
        Assert.InRange(newSpread / knownSpread, 0.5, 2.0);
        Assert.NotEqual(embedding[known..(known + width)], embedding[(known + width)..(known + (2 * width))]);

        // A new word's bias is low among the known words' (the lower decile): it starts rarely chosen.
        var sortedKnown = bias[4..TestModelFolders.Vocabulary].Order().ToArray();
        Assert.All(bias[TestModelFolders.Vocabulary..], b => Assert.True(b <= sortedKnown[sortedKnown.Length / 2], $"new bias {b} above the known median"));
    }

    [Fact]
    public void A_base_with_other_sizes_than_the_decoder_is_refused_with_a_clear_error()
    {
        var baseModel = BaseModel.Load(Folder(DecoderKinds.SoftAttention, "base", hidden: 32, seed: 5));
        var options = baseModel.OptionsFor(new TrainingOptions(), 0);
        options.HiddenSize = 40;
        using var decoder = CaptionTrainer.CreateDecoder(options, TestModelFolders.Vocabulary);

        var error = Assert.Throws<InvalidDataException>(() => WarmStartWeights.Apply(decoder.Module, baseModel.Members[0], seed: 1));

        Assert.Contains("choose the base's decoder kind and sizes", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Folder(string kind, string name, int hidden, int seed) => kind switch
    {
        DecoderKinds.ShowAndTell => TestModelFolders.ShowAndTell(_root, $"{name}-{kind}", hidden, seed),
        DecoderKinds.SoftAttention => TestModelFolders.SoftAttention(_root, $"{name}-{kind}", hidden, attention: 24, seed),
        _ => TestModelFolders.AdaptiveAttention(_root, $"{name}-{kind}", hidden, attention: 24, seed),
    };

    private static double ParityOfReadBack(BaseModel baseModel, int member, string graphs)
    {
        var options = baseModel.OptionsFor(new TrainingOptions(), member);
        using var decoder = CaptionTrainer.CreateDecoder(options, TestModelFolders.Vocabulary);
        WarmStartWeights.Apply(decoder.Module, baseModel.Members[member], seed: 1);
        decoder.Module.eval();
        var width = decoder.UsesMap ? EncoderIdentity.Regions * EncoderIdentity.FeatureSize : EncoderIdentity.FeatureSize;
        return decoder.ParityDifference(graphs, TestModelFolders.RandomInputs(3 * width, seed: 9), images: 3);
    }

    private static double Spread(float[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
