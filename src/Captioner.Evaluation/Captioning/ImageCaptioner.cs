using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.Core.Models;

namespace Captioner.Evaluation.Captioning;

/// <summary>Images in, captions out: decode and validate, encode in batches, decode captions in batches.</summary>
public sealed class ImageCaptioner : IDisposable
{
    private readonly CaptioningModel _model;
    private readonly FeatureExtractor _extractor;
    private readonly ImageFeaturizer _featurizer;

    public ImageCaptioner(CaptioningModel model, FeatureExtractor extractor, ImageLimits? limits = null, int batchSize = 32)
    {
        _model = model;
        _extractor = extractor;
        BatchSize = batchSize;
        _featurizer = new ImageFeaturizer(new ImagePreprocessor(limits), extractor, batchSize);
    }

    /// <summary>Images per batch.</summary>
    public int BatchSize { get; }

    /// <summary>The version of the model in use.</summary>
    public string ModelVersion => _model.Version;

    /// <summary>True when the model carries familiarity and confidence (<c>confidence.json</c>).</summary>
    public bool HasConfidence => _model.Assessor is not null;

    /// <summary>The model's assessor, or null.</summary>
    public Core.Confidence.CaptionAssessor? Assessor => _model.Assessor;

    /// <summary>The model's decoder kind.</summary>
    public string DecoderKind => _model.Manifest.Decoder.Kind;

    /// <summary>True when the model attends to image regions (its captions carry attention weights).</summary>
    public bool UsesAttention => _model.Decoder.UsesMap;

    /// <summary>The encoder's execution provider.</summary>
    public string ExecutionProvider => _extractor.ExecutionProvider;

    /// <summary>Checks <paramref name="options"/> against this model before any image is read: an out-of-range setting or a
    /// word to begin with that the model does not know is an <see cref="ArgumentException"/>.</summary>
    public void CheckDecoding(DecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        options.BeginTokens(_model.Vocabulary);
    }

    /// <summary>Loads the model folder at <paramref name="modelDirectory"/> and the encoder.</summary>
    public static ImageCaptioner Open(string modelDirectory, FeatureExtractorOptions? encoderOptions = null)
    {
        var model = CaptioningModel.LoadFolder(modelDirectory);
        try
        {
            return new ImageCaptioner(model, new FeatureExtractor(encoderOptions));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Captions files in order, a batch at a time; unreadable and invalid files come back with their error.</summary>
    public IEnumerable<CaptionOutcome> CaptionFiles(IReadOnlyList<string> paths, DecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(paths);
        for (var start = 0; start < paths.Count; start += BatchSize)
        {
            var batch = paths.Skip(start).Take(BatchSize).ToList();
            var readErrors = new string?[batch.Count];
            var contents = new byte[batch.Count][];
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    contents[i] = File.ReadAllBytes(batch[i]);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    readErrors[i] = "cannot read the file: " + ex.Message;
                    contents[i] = [];
                }
            }

            var outcomes = Caption(batch, contents, options);
            for (var i = 0; i < batch.Count; i++)
            {
                yield return readErrors[i] is { } error ? new CaptionOutcome(batch[i], null, null, error) : outcomes[i];
            }
        }
    }

    /// <summary>Captions encoded images named <paramref name="names"/>.</summary>
    public IReadOnlyList<CaptionOutcome> Caption(IReadOnlyList<string> names, IReadOnlyList<byte[]> contents, DecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(contents);
        // As the features queue carries them, so a file gets the caption its upload would get.
        var features = _featurizer.Featurize(contents.Count, i => contents[i]).Select(result => result.AsQueued()).ToArray();
        var good = Enumerable.Range(0, features.Length).Where(i => features[i].Succeeded).ToList();
        var decoder = _model.Decoder;
        var packed = new float[good.Count * decoder.InputWidth];
        for (var g = 0; g < good.Count; g++)
        {
            features[good[g]].InputFor(decoder.UsesMap).CopyTo(packed, g * decoder.InputWidth);
        }

        var captions = _model.Decoder.Decode(packed, good.Count, options);
        var outcomes = new CaptionOutcome[contents.Count];
        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = new CaptionOutcome(names[i], null, features[i].Reason, features[i].Error);
        }

        var assessments = _model.Assessor is { } assessor && good.Count > 0
            ? assessor.AssessAll([.. good.SelectMany(g => features[g].Features!)], captions)
            : null;
        for (var g = 0; g < good.Count; g++)
        {
            outcomes[good[g]] = new CaptionOutcome(names[good[g]], captions[g], null, null) { Assessment = assessments?[g] };
        }

        return outcomes;
    }

    public void Dispose()
    {
        _extractor.Dispose();
        _model.Dispose();
    }
}
