using Captioner.Core.Features;
using Captioner.Core.Vocabulary;
using Microsoft.ML.OnnxRuntime;

namespace Captioner.Core.Decoding;

/// <summary>
/// Runs the exported decoder as a step loop on ONNX Runtime, batched over many images: the init graph
/// maps features to the LSTM state, then the step graph is run once per word for all rows together.
/// Thread-safe: each call owns its buffers.
/// </summary>
public sealed class CaptionDecoder : IDisposable
{
    private const int MaxRowsPerRun = 512;
    private static readonly string[] InitInputs = [DecoderGraphs.Features];
    private static readonly string[] InitOutputs = [DecoderGraphs.HiddenIn, DecoderGraphs.CellIn];

    private readonly InferenceSession _init;
    private readonly InferenceSession _step;
    private readonly CaptionVocabulary _vocabulary;
    private readonly RunOptions _runOptions = new();

    /// <summary>Opens the two graphs; the caller has checked that they fit <paramref name="vocabulary"/>.</summary>
    public CaptionDecoder(byte[] initGraph, byte[] stepGraph, CaptionVocabulary vocabulary, int hiddenSize, SessionOptions? sessionOptions = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        _vocabulary = vocabulary;
        HiddenSize = hiddenSize;
        _init = sessionOptions is null ? new InferenceSession(initGraph) : new InferenceSession(initGraph, sessionOptions);
        _step = sessionOptions is null ? new InferenceSession(stepGraph) : new InferenceSession(stepGraph, sessionOptions);
    }

    /// <summary>LSTM state size.</summary>
    public int HiddenSize { get; }

    /// <summary>The init graph, for shape checks.</summary>
    internal InferenceSession InitSession => _init;

    /// <summary>The step graph, for shape checks.</summary>
    internal InferenceSession StepSession => _step;

    /// <summary>Captions for <paramref name="count"/> images whose features lie back to back in <paramref name="features"/>.</summary>
    public IReadOnlyList<DecodedCaption> Decode(ReadOnlySpan<float> features, int count, DecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (features.Length < count * EncoderIdentity.FeatureSize)
        {
            throw new ArgumentException("Too few features for the image count.", nameof(features));
        }

        var results = new List<DecodedCaption>(count);
        var rowsPerImage = options.Mode == DecodingMode.Beam ? options.BeamWidth : 1;
        var imagesPerRun = Math.Max(1, MaxRowsPerRun / rowsPerImage);
        var random = options.Seed is { } seed ? new Random(seed) : new Random();
        for (var start = 0; start < count; start += imagesPerRun)
        {
            var images = Math.Min(imagesPerRun, count - start);
            var chunk = features.Slice(start * EncoderIdentity.FeatureSize, images * EncoderIdentity.FeatureSize).ToArray();
            results.AddRange(options.Mode == DecodingMode.Beam
                ? new BeamSearch(this, options).Run(chunk, images)
                : DecodeOneRowPerImage(chunk, images, options, random));
        }

        return results;
    }

    public void Dispose()
    {
        _init.Dispose();
        _step.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>Writes the initial state of <paramref name="images"/> images into rows of <paramref name="buffers"/>, each repeated <paramref name="repeat"/> times.</summary>
    internal void Initialise(float[] features, int images, StepBuffers buffers, int repeat)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(features, [images, EncoderIdentity.FeatureSize]);
        if (repeat == 1)
        {
            using var hidden = OrtValue.CreateTensorValueFromMemory(buffers.Hidden[buffers.Current], [images, HiddenSize]);
            using var cell = OrtValue.CreateTensorValueFromMemory(buffers.Cell[buffers.Current], [images, HiddenSize]);
            _init.Run(_runOptions, InitInputs, [input], InitOutputs, [hidden, cell]);
            return;
        }

        using var outputs = _init.Run(_runOptions, InitInputs, [input], InitOutputs);
        var h = outputs[0].GetTensorDataAsSpan<float>();
        var c = outputs[1].GetTensorDataAsSpan<float>();
        for (var image = 0; image < images; image++)
        {
            for (var copy = 0; copy < repeat; copy++)
            {
                var row = (image * repeat) + copy;
                h.Slice(image * HiddenSize, HiddenSize).CopyTo(buffers.Hidden[buffers.Current].AsSpan(row * HiddenSize));
                c.Slice(image * HiddenSize, HiddenSize).CopyTo(buffers.Cell[buffers.Current].AsSpan(row * HiddenSize));
            }
        }
    }

    /// <summary>Runs one step: reads tokens and the current state, writes log-probabilities and the other state.</summary>
    internal void Step(StepBuffers buffers) => _step.RunWithBinding(_runOptions, buffers.Binding);

    /// <summary>Buffers for <paramref name="rows"/> rows, bound to the step graph.</summary>
    internal StepBuffers CreateBuffers(int rows) => new(_step, rows, HiddenSize, _vocabulary.Count);

    /// <summary>Masks words the decoder must never emit.</summary>
    internal static bool IsEmittable(int token, DecodingOptions options) =>
        token is not (SpecialTokens.PadId or SpecialTokens.StartId) && (options.AllowUnknown || token != SpecialTokens.UnknownId);

    internal string Words(ReadOnlySpan<int> tokens) => _vocabulary.Decode(tokens.ToArray());

    private List<DecodedCaption> DecodeOneRowPerImage(float[] features, int images, DecodingOptions options, Random random)
    {
        var vocabularySize = _vocabulary.Count;
        using var buffers = CreateBuffers(images);
        Initialise(features, images, buffers, repeat: 1);
        Array.Fill(buffers.Tokens, SpecialTokens.StartId);
        var words = new int[images * options.MaxWords];
        var lengths = new int[images];
        var logProbabilities = new double[images];
        var finished = new bool[images];
        var chooser = new NextWordChooser(vocabularySize, options, random);
        var open = images;
        for (var step = 0; step <= options.MaxWords && open > 0; step++)
        {
            Step(buffers);
            buffers.Flip();
            for (var row = 0; row < images; row++)
            {
                if (finished[row])
                {
                    continue;
                }

                var scores = buffers.LogProbabilities.AsSpan(row * vocabularySize, vocabularySize);
                var token = step == options.MaxWords ? SpecialTokens.EndId : chooser.Choose(scores);
                logProbabilities[row] += scores[token];
                buffers.Tokens[row] = token;
                if (token == SpecialTokens.EndId)
                {
                    finished[row] = true;
                    open--;
                }
                else
                {
                    words[(row * options.MaxWords) + lengths[row]++] = token;
                }
            }
        }

        var results = new List<DecodedCaption>(images);
        for (var row = 0; row < images; row++)
        {
            var tokens = words.AsSpan(row * options.MaxWords, lengths[row]);
            var caption = Words(tokens);
            var hypothesis = new CaptionHypothesis(caption, tokens.ToArray(), logProbabilities[row], logProbabilities[row]);
            results.Add(new DecodedCaption(caption, logProbabilities[row], [hypothesis]));
        }

        return results;
    }
}
