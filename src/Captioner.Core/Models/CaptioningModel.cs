using Captioner.Core.Confidence;
using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Core.Vocabulary;
using Microsoft.ML.OnnxRuntime;

namespace Captioner.Core.Models;

/// <summary>
/// A loaded, verified model: manifest, vocabulary and decoder. Loading checks the format version, the decoder kind,
/// the encoder, every file's SHA-256, that the graphs hold all their tensors (no external data) and the graphs'
/// input and output names and shapes, and refuses a mismatch with a clear error.
/// </summary>
public sealed class CaptioningModel : IDisposable
{
    private CaptioningModel(ModelManifest manifest, CaptionVocabulary vocabulary, CaptionDecoder decoder, CaptionAssessor? assessor)
    {
        Manifest = manifest;
        Vocabulary = vocabulary;
        Decoder = decoder;
        Assessor = assessor;
    }

    public ModelManifest Manifest { get; }

    public CaptionVocabulary Vocabulary { get; }

    public CaptionDecoder Decoder { get; }

    /// <summary>Familiarity and confidence of its captions; null when the folder has no <see cref="ConfidenceFile"/> (results say they are unavailable).</summary>
    public CaptionAssessor? Assessor { get; }

    /// <summary>The model version results are tagged with.</summary>
    public string Version => Manifest.Version;

    /// <summary>Loads the model folder at <paramref name="directory"/>.</summary>
    public static CaptioningModel LoadFolder(string directory, SessionOptions? sessionOptions = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new ModelLoadException($"Model folder '{directory}' does not exist.");
        }

        return Load(name =>
        {
            var path = Path.Combine(directory, name);
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }, directory, sessionOptions);
    }

    /// <summary>Loads a model whose files <paramref name="readFile"/> returns by name (null when absent); <paramref name="source"/> names it in errors.</summary>
    public static CaptioningModel Load(Func<string, byte[]?> readFile, string source, SessionOptions? sessionOptions = null)
    {
        ArgumentNullException.ThrowIfNull(readFile);
        var manifestBytes = readFile(ModelFiles.Manifest) ?? throw new ModelLoadException($"{source}: no {ModelFiles.Manifest}.");
        var manifest = ModelFiles.Deserialize(manifestBytes);
        if (manifest.FormatVersion != ModelManifest.CurrentFormatVersion)
        {
            throw new ModelLoadException($"{source}: model format version {manifest.FormatVersion} is not supported (this build reads {ModelManifest.CurrentFormatVersion}).");
        }

        if (!DecoderKinds.All.Contains(manifest.Decoder.Kind))
        {
            throw new ModelLoadException($"{source}: decoder kind '{manifest.Decoder.Kind}' is not known to this build (it reads {string.Join(", ", DecoderKinds.All)}).");
        }

        if (manifest.Decoder.UsesMap && manifest.Decoder.AttentionSize is not > 0)
        {
            throw new ModelLoadException($"{source}: a {manifest.Decoder.Kind} decoder needs a positive attentionSize in its manifest.");
        }

        if (manifest.Encoder.Name != EncoderIdentity.Name || manifest.Encoder.FeatureSize != EncoderIdentity.FeatureSize)
        {
            throw new ModelLoadException($"{source}: model was trained on encoder '{manifest.Encoder.Name}' ({manifest.Encoder.FeatureSize} features); this build has '{EncoderIdentity.Name}' ({EncoderIdentity.FeatureSize}).");
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in ModelFiles.Required)
        {
            if (!manifest.Files.TryGetValue(name, out var expected))
            {
                throw new ModelLoadException($"{source}: manifest lists no hash for {name}.");
            }

            var data = readFile(name) ?? throw new ModelLoadException($"{source}: {name} is missing.");
            var actual = ModelFiles.Sha256(data);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelLoadException($"{source}: {name} has SHA-256 {actual}, the manifest says {expected}; the folder is damaged or mixed up.");
            }

            files[name] = data;
        }

        // Optional files: absent from the manifest means the model has none; listed means they must be there, intact.
        foreach (var name in ModelFiles.Optional.Where(manifest.Files.ContainsKey))
        {
            var data = readFile(name) ?? throw new ModelLoadException($"{source}: {name} is listed in the manifest but missing.");
            var actual = ModelFiles.Sha256(data);
            if (!string.Equals(actual, manifest.Files[name], StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelLoadException($"{source}: {name} has SHA-256 {actual}, the manifest says {manifest.Files[name]}; the folder is damaged or mixed up.");
            }

            files[name] = data;
        }

        var confidenceFile = files.TryGetValue(ConfidenceFile.FileName, out var confidence) ? ConfidenceFile.Deserialize(confidence, source) : null;

        CaptionVocabulary vocabulary;
        using (var stream = new MemoryStream(files[ModelFiles.Vocabulary]))
        {
            vocabulary = CaptionVocabulary.Load(stream);
        }

        if (vocabulary.Count != manifest.Decoder.VocabularySize)
        {
            throw new ModelLoadException($"{source}: vocab.json has {vocabulary.Count} words, the manifest says {manifest.Decoder.VocabularySize}.");
        }

        // Before ONNX Runtime sees a graph: it would follow an external-data path anywhere on the machine.
        SelfContainedGraph.Check(files[DecoderGraphs.InitFile], source, DecoderGraphs.InitFile);
        SelfContainedGraph.Check(files[DecoderGraphs.StepFile], source, DecoderGraphs.StepFile);

        CaptionDecoder decoder;
        try
        {
            decoder = new CaptionDecoder(files[DecoderGraphs.InitFile], files[DecoderGraphs.StepFile], vocabulary, manifest.Decoder, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"{source}: decoder graphs do not load: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }

        CaptionAssessor? assessor;
        try
        {
            CheckShapes(decoder, manifest, source);
            assessor = confidenceFile is null ? null : CaptionAssessor.From(confidenceFile, source);
        }
        catch
        {
            decoder.Dispose();
            throw;
        }

        return new CaptioningModel(manifest, vocabulary, decoder, assessor);
    }

    public void Dispose()
    {
        Decoder.Dispose();
        Assessor?.Dispose();
    }

    private static void CheckShapes(CaptionDecoder decoder, ModelManifest manifest, string source)
    {
        void Expect(InferenceSession session, string graph, string tensor, bool input, params int[] expected)
        {
            var metadata = input ? session.InputMetadata : session.OutputMetadata;
            if (!metadata.TryGetValue(tensor, out var value) || !value.Dimensions.Skip(1).SequenceEqual(expected))
            {
                var actual = value is null ? "missing" : "[" + string.Join(", ", value.Dimensions) + "]";
                throw new ModelLoadException($"{source}: {graph} tensor '{tensor}' is {actual}, expected [N, {string.Join(", ", expected)}].");
            }
        }

        var hidden = manifest.Decoder.HiddenSize;
        if (manifest.Decoder.UsesMap)
        {
            var regions = EncoderIdentity.Regions;
            var attention = manifest.Decoder.AttentionSize!.Value;
            Expect(decoder.InitSession, DecoderGraphs.InitFile, DecoderGraphs.Map, true, regions, manifest.Encoder.FeatureSize);
            Expect(decoder.InitSession, DecoderGraphs.InitFile, DecoderGraphs.ProjectedMap, false, regions, attention);
            Expect(decoder.StepSession, DecoderGraphs.StepFile, DecoderGraphs.Map, true, regions, manifest.Encoder.FeatureSize);
            Expect(decoder.StepSession, DecoderGraphs.StepFile, DecoderGraphs.ProjectedMap, true, regions, attention);
            Expect(decoder.StepSession, DecoderGraphs.StepFile, DecoderGraphs.Attention, false, regions);
        }
        else
        {
            Expect(decoder.InitSession, DecoderGraphs.InitFile, DecoderGraphs.Features, true, manifest.Encoder.FeatureSize);
        }

        Expect(decoder.InitSession, DecoderGraphs.InitFile, DecoderGraphs.HiddenIn, false, hidden);
        Expect(decoder.InitSession, DecoderGraphs.InitFile, DecoderGraphs.CellIn, false, hidden);
        Expect(decoder.StepSession, DecoderGraphs.StepFile, DecoderGraphs.HiddenIn, true, hidden);
        Expect(decoder.StepSession, DecoderGraphs.StepFile, DecoderGraphs.CellIn, true, hidden);
        Expect(decoder.StepSession, DecoderGraphs.StepFile, DecoderGraphs.LogProbabilities, false, manifest.Decoder.VocabularySize);
        Expect(decoder.StepSession, DecoderGraphs.StepFile, DecoderGraphs.HiddenOut, false, hidden);
    }
}
