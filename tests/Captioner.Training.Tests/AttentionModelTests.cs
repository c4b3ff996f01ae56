using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Core.Models;
using Captioner.Core.Vocabulary;
using Captioner.TestSupport;
using Captioner.Training.Export;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using static TorchSharp.torch;

namespace Captioner.Training.Tests;

/// <summary>The attention decoders' export, loading, decoding and ensembles, through ONNX Runtime.</summary>
public sealed class AttentionModelTests : IDisposable
{
    private const int Regions = EncoderIdentity.Regions;
    private readonly string _root = Directory.CreateTempSubdirectory("captioner-attention-").FullName;

    [Theory]
    [InlineData(DecoderKinds.SoftAttention, 1)]
    [InlineData(DecoderKinds.SoftAttention, 5)]
    [InlineData(DecoderKinds.AdaptiveAttention, 1)]
    [InlineData(DecoderKinds.AdaptiveAttention, 5)]
    public void Onnx_runtime_and_torchsharp_agree_to_1e_4_on_state_projection_log_probabilities_and_attention(string kind, int batch)
    {
        manual_seed(21);
        var module = TestModelFolders.NewAttentionModule(kind, hidden: 32, attention: 24);
        using var torchModule = module.Module;
        module.Export(_root);

        var difference = AttentionParityCheck.MaxDifference(module, _root, TestModelFolders.RandomInputs(batch * EncoderIdentity.MapSize, seed: 4), batch, steps: 6);

        Assert.InRange(difference, 0, 1e-4);
    }

    [Theory]
    [InlineData(DecoderKinds.SoftAttention)]
    [InlineData(DecoderKinds.AdaptiveAttention)]
    public void The_step_graph_reads_the_map_and_its_projection_and_writes_attention_weights(string kind)
    {
        var module = TestModelFolders.NewAttentionModule(kind, hidden: 32, attention: 24);
        using var torchModule = module.Module;
        module.Export(_root);

        var init = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(_root, DecoderGraphs.InitFile)));
        var step = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(_root, DecoderGraphs.StepFile)));

        Assert.Equal([DecoderGraphs.Map], init.Graph.Input.Select(i => i.Name));
        Assert.Equal([DecoderGraphs.HiddenIn, DecoderGraphs.CellIn, DecoderGraphs.ProjectedMap], init.Graph.Output.Select(o => o.Name));
        Assert.Equal([DecoderGraphs.Token, DecoderGraphs.HiddenIn, DecoderGraphs.CellIn, DecoderGraphs.Map, DecoderGraphs.ProjectedMap], step.Graph.Input.Select(i => i.Name));
        Assert.Equal([DecoderGraphs.LogProbabilities, DecoderGraphs.HiddenOut, DecoderGraphs.CellOut, DecoderGraphs.Attention], step.Graph.Output.Select(o => o.Name));
        Assert.All(step.Graph.Input, input => Assert.Equal("N", input.Type.TensorType.Shape.Dim[0].DimParam));
    }

    [Theory]
    [InlineData("greedy")]
    [InlineData("beam")]
    [InlineData("sampling")]
    public void Every_decoding_gives_one_attention_vector_per_word_that_sums_to_one(string mode)
    {
        var folder = TestModelFolders.SoftAttention(_root, "attention", hidden: 32, attention: 24, seed: 3);
        using var model = CaptioningModel.LoadFolder(folder);
        var options = mode switch
        {
            "beam" => DecodingOptions.BeamSearch(3) with { MaxWords = 8 },
            "sampling" => new DecodingOptions { Mode = DecodingMode.Sample, Temperature = 0.8, TopK = 5, Seed = 1, MaxWords = 8 },
            _ => DecodingOptions.Greedy with { MaxWords = 8 },
        };

        Assert.True(model.Decoder.UsesMap);
        var captions = model.Decoder.Decode(TestModelFolders.RandomInputs(4 * EncoderIdentity.MapSize, seed: 9), 4, options);

        Assert.Equal(4, captions.Count);
        foreach (var caption in captions)
        {
            foreach (var hypothesis in caption.NBest)
            {
                Assert.Equal(hypothesis.Tokens.Count, hypothesis.Attention!.Count);
                Assert.All(hypothesis.Attention, weights =>
                {
                    Assert.Equal(Regions, weights.Length);
                    Assert.InRange(weights.Sum(), 0.999, 1.001);
                });
            }
        }
    }

    [Theory]
    [InlineData("greedy")]
    [InlineData("beam")]
    public void An_adaptive_decoders_region_weights_leave_the_sentinel_a_share_below_one(string mode)
    {
        var folder = TestModelFolders.AdaptiveAttention(_root, "adaptive", hidden: 32, attention: 24, seed: 3);
        using var model = CaptioningModel.LoadFolder(folder);
        var options = mode == "beam" ? DecodingOptions.BeamSearch(3) with { MaxWords = 8 } : DecodingOptions.Greedy with { MaxWords = 8 };

        var captions = model.Decoder.Decode(TestModelFolders.RandomInputs(3 * EncoderIdentity.MapSize, seed: 9), 3, options);

        Assert.Equal(DecoderKinds.AdaptiveAttention, model.Manifest.Decoder.Kind);
        var sums = captions.SelectMany(c => c.Attention!).Select(weights => weights.Sum()).ToList();
        Assert.NotEmpty(sums);
        Assert.All(sums, sum => Assert.InRange(sum, 0.0, 0.9999));
        Assert.All(captions.SelectMany(c => c.Attention!), weights => Assert.All(weights, w => Assert.True(w >= 0)));
    }

    [Fact]
    public void A_map_too_short_for_the_image_count_is_refused()
    {
        using var model = CaptioningModel.LoadFolder(TestModelFolders.SoftAttention(_root, "attention", hidden: 16, attention: 8, seed: 3));

        var error = Assert.Throws<ArgumentException>(() => model.Decoder.Decode(new float[EncoderIdentity.FeatureSize * 2], 2, DecodingOptions.Greedy));

        Assert.Contains("region-map", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_soft_attention_manifest_without_an_attention_size_is_refused()
    {
        var folder = TestModelFolders.SoftAttention(_root, "attention", hidden: 16, attention: 8, seed: 3);
        var manifest = ModelFiles.Deserialize(File.ReadAllBytes(Path.Combine(folder, ModelFiles.Manifest)));
        ModelFiles.WriteManifest(folder, manifest with { Decoder = manifest.Decoder with { AttentionSize = null } });

        var error = Assert.Throws<ModelLoadException>(() => CaptioningModel.LoadFolder(folder));

        Assert.Contains("attentionSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_decoder_kind_is_refused_with_the_kinds_this_build_reads()
    {
        var folder = TestModelFolders.SoftAttention(_root, "attention", hidden: 16, attention: 8, seed: 3);
        var manifest = ModelFiles.Deserialize(File.ReadAllBytes(Path.Combine(folder, ModelFiles.Manifest)));
        ModelFiles.WriteManifest(folder, manifest with { Decoder = manifest.Decoder with { Kind = "transformer" } });

        var error = Assert.Throws<ModelLoadException>(() => CaptioningModel.LoadFolder(folder));

        Assert.Contains("'transformer' is not known", error.Message, StringComparison.Ordinal);
        Assert.Contains(DecoderKinds.SoftAttention, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ensemble_of_attention_models_averages_their_probabilities_and_attention()
    {
        var a = TestModelFolders.SoftAttention(_root, "a", hidden: 32, attention: 24, seed: 1);
        var b = TestModelFolders.SoftAttention(_root, "b", hidden: 24, attention: 16, seed: 2);
        var joined = Path.Combine(_root, "joined");

        var manifest = EnsembleExporter.Export([a, b], joined, "a+b", halfPrecision: false);

        Assert.Equal((56, 40, DecoderKinds.SoftAttention), (manifest.Decoder.HiddenSize, manifest.Decoder.AttentionSize!.Value, manifest.Decoder.Kind));
        var maps = TestModelFolders.RandomInputs(2 * EncoderIdentity.MapSize, seed: 5);
        long[] tokens = [SpecialTokens.StartId, 17];
        var (logA, attentionA) = Step(a, maps, tokens);
        var (logB, attentionB) = Step(b, maps, tokens);
        var (logJoined, attentionJoined) = Step(joined, maps, tokens);
        for (var i = 0; i < logJoined.Length; i++)
        {
            Assert.InRange(logJoined[i] - Math.Log((Math.Exp(logA[i]) + Math.Exp(logB[i])) / 2), -1e-5, 1e-5);
        }

        for (var i = 0; i < attentionJoined.Length; i++)
        {
            Assert.InRange(attentionJoined[i] - ((attentionA[i] + attentionB[i]) / 2), -1e-6, 1e-6);
        }

        using var model = CaptioningModel.LoadFolder(joined);
        Assert.Equal(2, model.Decoder.Decode(maps, 2, DecodingOptions.BeamSearch(3)).Count);
    }

    [Fact]
    public void An_ensemble_of_an_attention_model_and_a_show_and_tell_model_is_refused()
    {
        var attention = TestModelFolders.SoftAttention(_root, "a", hidden: 32, attention: 24, seed: 1);
        var plain = TestModelFolders.ShowAndTell(_root, "p", hidden: 32, seed: 2);

        var error = Assert.Throws<InvalidDataException>(() => EnsembleExporter.Export([attention, plain], Path.Combine(_root, "mixed"), "mixed", halfPrecision: true));

        Assert.Contains("only attention models or only show-and-tell models can be joined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_soft_and_an_adaptive_attention_model_join_into_one_ensemble_that_decodes()
    {
        var soft = TestModelFolders.SoftAttention(_root, "soft", hidden: 32, attention: 24, seed: 1);
        var adaptive = TestModelFolders.AdaptiveAttention(_root, "adaptive", hidden: 24, attention: 16, seed: 2);
        var joined = Path.Combine(_root, "joined");

        var manifest = EnsembleExporter.Export([soft, adaptive], joined, "soft+adaptive", halfPrecision: false);

        // The state: 32 + 24 LSTM units, then the adaptive member's v_g (16 wide), computed once by the init graph.
        Assert.Equal((DecoderKinds.SoftAttention, 72, 40), (manifest.Decoder.Kind, manifest.Decoder.HiddenSize, manifest.Decoder.AttentionSize!.Value));
        var step = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(joined, DecoderGraphs.StepFile)));
        Assert.DoesNotContain(step.Graph.Node, n => n.OpType == "ReduceMean" && n.Input.Contains(DecoderGraphs.Map));
        var maps = TestModelFolders.RandomInputs(2 * EncoderIdentity.MapSize, seed: 5);
        long[] tokens = [SpecialTokens.StartId, 17];
        long[] nextTokens = [23, 4];
        var (logSoft, _) = Step(soft, maps, tokens, nextTokens);
        var (logAdaptive, _) = Step(adaptive, maps, tokens, nextTokens);
        var (logJoined, attention) = Step(joined, maps, tokens, nextTokens);
        for (var i = 0; i < logJoined.Length; i++)
        {
            Assert.InRange(logJoined[i] - Math.Log((Math.Exp(logSoft[i]) + Math.Exp(logAdaptive[i])) / 2), -1e-5, 1e-5);
        }

        // The soft member's weights sum to one, the adaptive member's to less: their mean to between a half and one.
        Assert.All(attention.Chunk(Regions), weights => Assert.InRange(weights.Sum(), 0.5, 0.9999));
        using var model = CaptioningModel.LoadFolder(joined);
        Assert.Equal(2, model.Decoder.Decode(maps, 2, DecodingOptions.BeamSearch(3)).Count);
    }

    [Fact]
    public void An_ensemble_with_int8_gate_weights_computes_each_members_gates_in_int8_close_to_the_float_ensemble()
    {
        var soft = TestModelFolders.SoftAttention(_root, "soft", hidden: 32, attention: 24, seed: 1);
        var adaptive = TestModelFolders.AdaptiveAttention(_root, "adaptive", hidden: 24, attention: 16, seed: 2);
        var exact = Path.Combine(_root, "float");
        var quantised = Path.Combine(_root, "int8");

        EnsembleExporter.Export([soft, adaptive], exact, "float", halfPrecision: true);
        EnsembleExporter.Export([soft, adaptive], quantised, "int8", halfPrecision: true, int8Gates: true);

        var step = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(quantised, DecoderGraphs.StepFile)));
        Assert.Equal(2, step.Graph.Node.Count(n => n.OpType == "MatMulInteger"));
        Assert.DoesNotContain(step.Graph.Node, n => n.OpType == "Gemm" && n.Output[0].EndsWith("gates", StringComparison.Ordinal));
        Assert.DoesNotContain(step.Graph.Initializer, i => i.Name.Contains("gate_weight", StringComparison.Ordinal) && !i.Name.Contains("int8", StringComparison.Ordinal) && !i.Name.Contains("sentinel", StringComparison.Ordinal));
        var maps = TestModelFolders.RandomInputs(2 * EncoderIdentity.MapSize, seed: 5);
        long[] tokens = [SpecialTokens.StartId, 17];
        long[] nextTokens = [23, 4];
        var (logExact, _) = Step(exact, maps, tokens, nextTokens);
        var (logQuantised, _) = Step(quantised, maps, tokens, nextTokens);
        var largest = logExact.Zip(logQuantised, (e, q) => Math.Abs(e - q)).Max();
        Assert.InRange(largest, 1e-7, 0.05);

        // Each row is quantised on its own: a far larger second image leaves the first one's words as they were.
        var louder = maps.Select((v, i) => i < EncoderIdentity.MapSize ? v : v * 10).ToArray();
        var (logBeside, _) = Step(quantised, louder, tokens, nextTokens);
        var firstRow = logQuantised.Take(logQuantised.Length / 2).Zip(logBeside, (a, b) => Math.Abs(a - b)).Max();
        Assert.InRange(firstRow, 0, 1e-5);
        using var model = CaptioningModel.LoadFolder(quantised);
        Assert.Equal(2, model.Decoder.Decode(maps, 2, DecodingOptions.BeamSearch(3)).Count);
    }

    [Theory]
    [InlineData("greedy")]
    [InlineData("beam")]
    public void Batched_decoding_of_the_bundled_model_equals_one_image_at_a_time_while_captions_end_at_different_lengths(string mode)
    {
        // The step runs over live rows only: each caption that ends hands its rows (state, map, projection) to another.
        using var model = CaptioningModel.LoadFolder(RepositoryPaths.DefaultModel);
        const int images = 12;
        var photos = File.ReadLines(Path.Combine(TestData.Flickr8k, "split_dev.txt")).Take(images).Select(name => File.ReadAllBytes(Path.Combine(TestData.Images, name))).ToList();
        using var extractor = new FeatureExtractor();
        var maps = new ImageFeaturizer(new Core.Imaging.ImagePreprocessor(), extractor).Featurize(images, i => photos[i]).SelectMany(r => r.Map!).ToArray();
        var options = mode == "beam" ? DecodingOptions.BeamSearch(3) : DecodingOptions.Greedy;

        var batched = model.Decoder.Decode(maps, images, options);
        var single = Enumerable.Range(0, images).Select(i => model.Decoder.Decode(maps.AsSpan(i * EncoderIdentity.MapSize, EncoderIdentity.MapSize), 1, options)[0]).ToList();

        Assert.True(batched.Select(c => c.Caption.Split(' ').Length).Distinct().Count() > 2, "the captions should end at several lengths");
        Assert.Equal(single.Select(c => c.Caption), batched.Select(c => c.Caption));
        for (var i = 0; i < images; i++)
        {
            // The int8 gates round each row's input on its own, so float noise of 1e-7 upstream can move one value by a level.
            Assert.InRange(batched[i].LogProbability - single[i].LogProbability, -1e-3, 1e-3);
            Assert.Equal(single[i].Attention!.Count, batched[i].Attention!.Count);
            Assert.InRange(single[i].Attention!.Zip(batched[i].Attention!, (s, b) => s.Zip(b, (x, y) => Math.Abs(x - y)).Max()).Max(), 0, 1e-3);
        }
    }

    /// <summary>
    /// One init and a step per token array through ONNX Runtime, each step reading the state the last one wrote: the
    /// last step's log-probabilities and attention weights of the batch.
    /// </summary>
    private static (float[] LogProbabilities, float[] Attention) Step(string folder, float[] maps, params long[][] tokensPerStep)
    {
        using var init = new InferenceSession(Path.Combine(folder, DecoderGraphs.InitFile));
        using var step = new InferenceSession(Path.Combine(folder, DecoderGraphs.StepFile));
        using var options = new RunOptions();
        var batch = tokensPerStep[0].Length;
        using var mapValue = OrtValue.CreateTensorValueFromMemory(maps, [batch, Regions, EncoderIdentity.FeatureSize]);
        using var state = init.Run(options, [DecoderGraphs.Map], [mapValue], [DecoderGraphs.HiddenIn, DecoderGraphs.CellIn, DecoderGraphs.ProjectedMap]);
        var (hidden, cell) = (state[0].GetTensorDataAsSpan<float>().ToArray(), state[1].GetTensorDataAsSpan<float>().ToArray());
        var width = hidden.Length / batch;
        (float[], float[]) last = ([], []);
        foreach (var tokens in tokensPerStep)
        {
            using var tokenValue = OrtValue.CreateTensorValueFromMemory(tokens, [batch]);
            using var hiddenValue = OrtValue.CreateTensorValueFromMemory(hidden, [batch, width]);
            using var cellValue = OrtValue.CreateTensorValueFromMemory(cell, [batch, width]);
            using var next = step.Run(
                options,
                [DecoderGraphs.Token, DecoderGraphs.HiddenIn, DecoderGraphs.CellIn, DecoderGraphs.Map, DecoderGraphs.ProjectedMap],
                [tokenValue, hiddenValue, cellValue, mapValue, state[2]],
                [DecoderGraphs.LogProbabilities, DecoderGraphs.Attention, DecoderGraphs.HiddenOut, DecoderGraphs.CellOut]);
            last = (next[0].GetTensorDataAsSpan<float>().ToArray(), next[1].GetTensorDataAsSpan<float>().ToArray());
            (hidden, cell) = (next[2].GetTensorDataAsSpan<float>().ToArray(), next[3].GetTensorDataAsSpan<float>().ToArray());
        }

        return last;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
