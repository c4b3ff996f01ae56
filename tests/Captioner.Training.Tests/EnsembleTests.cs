using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Core.Models;
using Captioner.Core.Vocabulary;
using Captioner.Training.Export;
using Captioner.Training.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace Captioner.Training.Tests;

/// <summary>Joined models through ONNX Runtime: the ensemble's next-word distribution is the members' mean.</summary>
public sealed class EnsembleTests : IDisposable
{
    private const int Vocabulary = TestModelFolders.Vocabulary;
    private readonly string _root = Directory.CreateTempSubdirectory("captioner-ensemble-").FullName;

    [Theory]
    [InlineData(false, 1e-5)]
    [InlineData(true, 2e-2)]
    public void The_ensemble_step_gives_the_log_of_the_members_mean_probability_and_their_states(bool halfPrecision, double tolerance)
    {
        var a = Member("a", hidden: 32, seed: 1);
        var b = Member("b", hidden: 24, seed: 2);
        var joined = Path.Combine(_root, halfPrecision ? "joined16" : "joined32");

        var manifest = EnsembleExporter.Export([a, b], joined, "a+b", halfPrecision);

        Assert.Equal(56, manifest.Decoder.HiddenSize);
        using (var model = CaptioningModel.LoadFolder(joined))
        {
            Assert.Equal("a+b", model.Version);
        }

        var features = TestModelFolders.RandomInputs(2 * EncoderIdentity.FeatureSize, seed: 3);
        long[] tokens = [SpecialTokens.StartId, 17];
        var (logA, hA) = Step(a, features, tokens);
        var (logB, hB) = Step(b, features, tokens);
        var (logJoined, hJoined) = Step(joined, features, tokens);

        for (var row = 0; row < 2; row++)
        {
            for (var word = 0; word < Vocabulary; word++)
            {
                var i = (row * Vocabulary) + word;
                var expected = Math.Log((Math.Exp(logA[i]) + Math.Exp(logB[i])) / 2);
                Assert.InRange(logJoined[i] - expected, -tolerance, tolerance);
            }

            for (var unit = 0; unit < 56; unit++)
            {
                var expected = unit < 32 ? hA[(row * 32) + unit] : hB[(row * 24) + unit - 32];
                Assert.InRange(hJoined[(row * 56) + unit] - expected, -tolerance, tolerance);
            }
        }
    }

    [Fact]
    public void The_geometric_mean_ensemble_gives_the_normalised_mean_of_the_members_log_probabilities()
    {
        var a = Member("a", hidden: 32, seed: 1);
        var b = Member("b", hidden: 24, seed: 2);
        var joined = Path.Combine(_root, "geometric");

        EnsembleExporter.Export([a, b], joined, "a*b", halfPrecision: false, EnsembleRule.GeometricMean);

        var features = TestModelFolders.RandomInputs(2 * EncoderIdentity.FeatureSize, seed: 3);
        long[] tokens = [SpecialTokens.StartId, 17];
        var (logA, _) = Step(a, features, tokens);
        var (logB, _) = Step(b, features, tokens);
        var (logJoined, _) = Step(joined, features, tokens);
        for (var row = 0; row < 2; row++)
        {
            var mean = Enumerable.Range(0, Vocabulary).Select(w => (logA[(row * Vocabulary) + w] + logB[(row * Vocabulary) + w]) / 2.0).ToArray();
            var normaliser = Math.Log(mean.Sum(Math.Exp));
            for (var word = 0; word < Vocabulary; word++)
            {
                Assert.InRange(logJoined[(row * Vocabulary) + word] - (mean[word] - normaliser), -1e-5, 1e-5);
            }
        }
    }

    [Fact]
    public void Half_precision_storage_halves_the_size_of_the_graphs()
    {
        var a = Member("a", hidden: 32, seed: 1);
        var b = Member("b", hidden: 32, seed: 2);
        long Size(string folder) => new FileInfo(Path.Combine(folder, DecoderGraphs.StepFile)).Length;

        EnsembleExporter.Export([a, b], Path.Combine(_root, "f32"), "f32", halfPrecision: false);
        EnsembleExporter.Export([a, b], Path.Combine(_root, "f16"), "f16", halfPrecision: true);

        Assert.InRange(Size(Path.Combine(_root, "f16")), Size(a) * 0.9, Size(a) * 1.2);
        Assert.InRange(Size(Path.Combine(_root, "f32")), Size(a) * 1.9, Size(a) * 2.1);
    }

    [Fact]
    public void Models_with_different_vocabularies_are_refused()
    {
        var a = Member("a", hidden: 32, seed: 1);
        var other = Member("other", hidden: 32, seed: 2, firstWord: "zebra");

        var error = Assert.Throws<InvalidDataException>(() => EnsembleExporter.Export([a, other], Path.Combine(_root, "bad"), "bad", halfPrecision: true));
        Assert.Contains("same vocabulary", error.Message, StringComparison.Ordinal);
    }

    private string Member(string name, int hidden, int seed, string firstWord = "w") => TestModelFolders.ShowAndTell(_root, name, hidden, seed, firstWord);

    /// <summary>One init and one step through ONNX Runtime: log-probabilities and h' of the batch.</summary>
    private static (float[] LogProbabilities, float[] Hidden) Step(string folder, float[] features, long[] tokens)
    {
        using var init = new InferenceSession(Path.Combine(folder, DecoderGraphs.InitFile));
        using var step = new InferenceSession(Path.Combine(folder, DecoderGraphs.StepFile));
        var batch = tokens.Length;
        using var state = init.Run([NamedOnnxValue.CreateFromTensor(DecoderGraphs.Features, new DenseTensor<float>(features, [batch, EncoderIdentity.FeatureSize]))]);
        var h = state.First(v => v.Name == DecoderGraphs.HiddenIn).AsTensor<float>().ToArray();
        var c = state.First(v => v.Name == DecoderGraphs.CellIn).AsTensor<float>().ToArray();
        var width = h.Length / batch;
        using var next = step.Run(
        [
            NamedOnnxValue.CreateFromTensor(DecoderGraphs.Token, new DenseTensor<long>(tokens, [batch])),
            NamedOnnxValue.CreateFromTensor(DecoderGraphs.HiddenIn, new DenseTensor<float>(h, [batch, width])),
            NamedOnnxValue.CreateFromTensor(DecoderGraphs.CellIn, new DenseTensor<float>(c, [batch, width])),
        ]);
        return (next.First(v => v.Name == DecoderGraphs.LogProbabilities).AsTensor<float>().ToArray(), next.First(v => v.Name == DecoderGraphs.HiddenOut).AsTensor<float>().ToArray());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
