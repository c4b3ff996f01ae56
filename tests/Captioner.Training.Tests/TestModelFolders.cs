using Captioner.Core.Features;
using Captioner.Core.Models;
using Captioner.Core.Vocabulary;
using Captioner.Training.Export;
using Captioner.Training.Model;
using static TorchSharp.torch;

namespace Captioner.Training.Tests;

/// <summary>Model folders of randomly initialised decoders (exported for real), for tests that need a model but not a trained one.</summary>
internal static class TestModelFolders
{
    public const int Vocabulary = 50;

    /// <summary>A random show-and-tell decoder with a 50-word vocabulary.</summary>
    public static string ShowAndTell(string root, string name, int hidden, int seed, string firstWord = "w")
    {
        var folder = Path.Combine(root, name);
        manual_seed(seed);
        using var module = new ShowAndTellModule(EncoderIdentity.FeatureSize, Vocabulary, 16, hidden, 0);
        DecoderOnnxExporter.Export(module.ExportWeights(), folder);
        Finish(folder, name, new DecoderSpec(Vocabulary, 16, hidden, 20), firstWord);
        return folder;
    }

    /// <summary>A random soft-attention decoder with a 50-word vocabulary, standardised on random maps.</summary>
    public static string SoftAttention(string root, string name, int hidden, int attention, int seed)
    {
        var folder = Path.Combine(root, name);
        manual_seed(seed);
        using var module = NewAttentionModule(hidden, attention);
        AttentionOnnxExporter.Export(module.ExportWeights(), folder);
        Finish(folder, name, new DecoderSpec(Vocabulary, 16, hidden, 20) { Kind = DecoderKinds.SoftAttention, AttentionSize = attention }, "w");
        return folder;
    }

    /// <summary>A random adaptive-attention decoder with a 50-word vocabulary, standardised on random maps.</summary>
    public static string AdaptiveAttention(string root, string name, int hidden, int attention, int seed)
    {
        var folder = Path.Combine(root, name);
        manual_seed(seed);
        var module = NewAttentionModule(DecoderKinds.AdaptiveAttention, hidden, attention);
        module.Export(folder);
        module.Module.Dispose();
        Finish(folder, name, new DecoderSpec(Vocabulary, 16, hidden, 20) { Kind = DecoderKinds.AdaptiveAttention, AttentionSize = attention }, "w");
        return folder;
    }

    /// <summary>A soft-attention module (eval mode) whose standardisation comes from random maps scaled like the encoder's.</summary>
    public static SoftAttentionModule NewAttentionModule(int hidden, int attention) =>
        (SoftAttentionModule)NewAttentionModule(DecoderKinds.SoftAttention, hidden, attention);

    /// <summary>An attention module of <paramref name="kind"/> (eval mode) whose standardisation comes from random maps scaled like the encoder's.</summary>
    public static IAttentionNetwork NewAttentionModule(string kind, int hidden, int attention)
    {
        IAttentionNetwork module = kind == DecoderKinds.AdaptiveAttention
            ? new AdaptiveAttentionModule(EncoderIdentity.FeatureSize, Vocabulary, 16, hidden, attention, 0.5, 0.5)
            : new SoftAttentionModule(EncoderIdentity.FeatureSize, Vocabulary, 16, hidden, attention, 0.5, 0.5);
        using (var maps = rand(300, EncoderIdentity.FeatureSize) * 3)
        {
            module.SetFeatureStatistics(maps.mean([0]), maps.std([0]));
        }

        module.Module.eval();
        return module;
    }

    /// <summary>Random non-negative values, as many as <paramref name="count"/>.</summary>
    public static float[] RandomInputs(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 3))];
    }

    private static void Finish(string folder, string name, DecoderSpec decoder, string firstWord)
    {
        var words = Enumerable.Range(0, Vocabulary - SpecialTokens.All.Count).Select(i => i == 0 ? firstWord : $"w{i}").ToList();
        using (var stream = File.Create(Path.Combine(folder, ModelFiles.Vocabulary)))
        {
            CaptionVocabulary.Build([words], 1).Save(stream);
        }

        ModelFiles.WriteManifest(folder, new ModelManifest
        {
            Version = name,
            Encoder = new EncoderSpec(EncoderIdentity.Name, EncoderIdentity.Preprocessing, EncoderIdentity.FeatureSize),
            Decoder = decoder,
        });
    }
}
