using Captioner.Core.Features;
using Captioner.Core.Models;
using Captioner.Core.Vocabulary;
using Microsoft.ML.OnnxRuntime;

namespace Captioner.Core.Decoding;

/// <summary>
/// Runs the exported decoder as a step loop on ONNX Runtime, batched over many images: the init graph
/// maps an image's input to the LSTM state, then the step graph is run once per word for all rows together.
/// Show-and-tell decoders read the pooled features [N, 512]; attention decoders read the region map
/// [N, 49, 512], get its projection from the init graph, and report each step's attention weights.
/// Thread-safe: each call owns its buffers.
/// </summary>
public sealed class CaptionDecoder : IDisposable
{
    private const int MaxRowsPerRun = 512;
    private static readonly string[] InitInputs = [DecoderGraphs.Features];
    private static readonly string[] InitOutputs = [DecoderGraphs.HiddenIn, DecoderGraphs.CellIn];
    private static readonly string[] AttentionInitInputs = [DecoderGraphs.Map];
    private static readonly string[] AttentionInitOutputs = [DecoderGraphs.HiddenIn, DecoderGraphs.CellIn, DecoderGraphs.ProjectedMap];

    private readonly InferenceSession _init;
    private readonly InferenceSession _step;
    private readonly CaptionVocabulary _vocabulary;
    private readonly RunOptions _runOptions = new();

    /// <summary>Opens the two graphs; the caller has checked that they fit <paramref name="vocabulary"/>.</summary>
    public CaptionDecoder(byte[] initGraph, byte[] stepGraph, CaptionVocabulary vocabulary, DecoderSpec spec, SessionOptions? sessionOptions = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(spec);
        _vocabulary = vocabulary;
        HiddenSize = spec.HiddenSize;
        AttentionSize = spec.UsesMap ? spec.AttentionSize ?? throw new ArgumentException("An attention decoder needs its attention size.", nameof(spec)) : null;
        using var cpuFriendly = sessionOptions is null ? ExecutionProviderChoice.CpuFriendly(new SessionOptions()) : null;
        _init = new InferenceSession(initGraph, sessionOptions ?? cpuFriendly);
        _step = new InferenceSession(stepGraph, sessionOptions ?? cpuFriendly);
    }

    /// <summary>LSTM state size.</summary>
    public int HiddenSize { get; }

    /// <summary>The attention projection size of an attention decoder; null for show-and-tell.</summary>
    public int? AttentionSize { get; }

    /// <summary>True when the decoder reads region maps rather than pooled features.</summary>
    public bool UsesMap => AttentionSize is not null;

    /// <summary>Input values per image: 49 x 512 for soft attention, 512 otherwise.</summary>
    public int InputWidth => UsesMap ? EncoderIdentity.MapSize : EncoderIdentity.FeatureSize;

    /// <summary>The init graph, for shape checks.</summary>
    internal InferenceSession InitSession => _init;

    /// <summary>The step graph, for shape checks.</summary>
    internal InferenceSession StepSession => _step;

    /// <summary>
    /// Captions for <paramref name="count"/> images whose inputs (<see cref="InputWidth"/> values each: pooled
    /// features or region maps) lie back to back in <paramref name="features"/>.
    /// </summary>
    public IReadOnlyList<DecodedCaption> Decode(ReadOnlySpan<float> features, int count, DecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var width = InputWidth;
        if (features.Length < count * width)
        {
            throw new ArgumentException(UsesMap ? "Too few region-map values for the image count." : "Too few features for the image count.", nameof(features));
        }

        var results = new List<DecodedCaption>(count);
        var rowsPerImage = options.Mode == DecodingMode.Beam ? options.BeamWidth : 1;
        var imagesPerRun = Math.Max(1, MaxRowsPerRun / rowsPerImage);
        var random = options.Seed is { } seed ? new Random(seed) : new Random();
        var begin = options.BeginTokens(_vocabulary);
        for (var start = 0; start < count; start += imagesPerRun)
        {
            var images = Math.Min(imagesPerRun, count - start);
            var chunk = features.Slice(start * width, images * width).ToArray();
            results.AddRange(options.Mode == DecodingMode.Beam
                ? new BeamSearch(this, options, begin).Run(chunk, images)
                : DecodeOneRowPerImage(chunk, images, options, begin, random));
        }

        return results;
    }

    public void Dispose()
    {
        _init.Dispose();
        _step.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>
    /// Writes the initial state of <paramref name="images"/> images into rows of <paramref name="buffers"/>, each
    /// repeated <paramref name="repeat"/> times (and, for soft attention, each row's map and its projection).
    /// </summary>
    internal void Initialise(float[] features, int images, StepBuffers buffers, int repeat)
    {
        if (UsesMap)
        {
            InitialiseAttention(features, images, buffers, repeat);
            return;
        }

        using var input = OrtValue.CreateTensorValueFromMemory(features, [images, EncoderIdentity.FeatureSize]);
        if (repeat == 1)
        {
            using var hidden = OrtValue.CreateTensorValueFromMemory(buffers.Hidden[buffers.Current], [images, HiddenSize]);
            using var cell = OrtValue.CreateTensorValueFromMemory(buffers.Cell[buffers.Current], [images, HiddenSize]);
            _init.Run(_runOptions, InitInputs, [input], InitOutputs, [hidden, cell]);
            return;
        }

        using var outputs = _init.Run(_runOptions, InitInputs, [input], InitOutputs);
        Repeat(outputs[0].GetTensorDataAsSpan<float>(), buffers.Hidden[buffers.Current], HiddenSize, images, repeat);
        Repeat(outputs[1].GetTensorDataAsSpan<float>(), buffers.Cell[buffers.Current], HiddenSize, images, repeat);
    }

    /// <summary>Runs one step: reads tokens and the current state, writes log-probabilities and the other state.</summary>
    internal void Step(StepBuffers buffers) => _step.RunWithBinding(_runOptions, buffers.Binding);

    /// <summary>Buffers for <paramref name="rows"/> rows, bound to the step graph.</summary>
    internal StepBuffers CreateBuffers(int rows) => new(_step, rows, HiddenSize, _vocabulary.Count, AttentionSize);

    /// <summary>Masks words the decoder must never emit.</summary>
    internal static bool IsEmittable(int token, DecodingOptions options) =>
        token is not (SpecialTokens.PadId or SpecialTokens.StartId) && (options.AllowUnknown || token != SpecialTokens.UnknownId);

    internal string Words(ReadOnlySpan<int> tokens) => _vocabulary.Decode(tokens.ToArray());

    /// <summary>Copies each image's <paramref name="width"/> values into <paramref name="repeat"/> consecutive rows of <paramref name="target"/>.</summary>
    private static void Repeat(ReadOnlySpan<float> source, float[] target, int width, int images, int repeat)
    {
        for (var image = 0; image < images; image++)
        {
            for (var copy = 0; copy < repeat; copy++)
            {
                source.Slice(image * width, width).CopyTo(target.AsSpan(((image * repeat) + copy) * width));
            }
        }
    }

    private void InitialiseAttention(float[] maps, int images, StepBuffers buffers, int repeat)
    {
        var projectedWidth = EncoderIdentity.Regions * AttentionSize!.Value;
        using var input = OrtValue.CreateTensorValueFromMemory(maps, [images, EncoderIdentity.Regions, EncoderIdentity.FeatureSize]);
        using var outputs = _init.Run(_runOptions, AttentionInitInputs, [input], AttentionInitOutputs);
        Repeat(outputs[0].GetTensorDataAsSpan<float>(), buffers.Hidden[buffers.Current], HiddenSize, images, repeat);
        Repeat(outputs[1].GetTensorDataAsSpan<float>(), buffers.Cell[buffers.Current], HiddenSize, images, repeat);
        Repeat(outputs[2].GetTensorDataAsSpan<float>(), buffers.ProjectedMap!, projectedWidth, images, repeat);
        Repeat(maps.AsSpan(0, images * EncoderIdentity.MapSize), buffers.Map!, EncoderIdentity.MapSize, images, repeat);
    }

    /// <summary>Greedy or sampled captions, one row per image; the first words are <paramref name="begin"/>'s, as if chosen.</summary>
    private List<DecodedCaption> DecodeOneRowPerImage(float[] features, int images, DecodingOptions options, int[] begin, Random random)
    {
        var vocabularySize = _vocabulary.Count;
        using var buffers = CreateBuffers(images);
        Initialise(features, images, buffers, repeat: 1);
        Array.Fill(buffers.Tokens, SpecialTokens.StartId);
        var words = new int[images * options.MaxWords];
        var lengths = new int[images];
        var logProbabilities = new double[images];
        var tokenLogProbabilities = new float[images * (options.MaxWords + 1)];
        var chooser = new NextWordChooser(vocabularySize, options, random);
        var regions = EncoderIdentity.Regions;
        var attention = buffers.Attention is null ? null : new float[images * options.MaxWords * regions];

        // Row r decodes image imageOfRow[r]; a finished row takes the last live one, so each step runs over live rows only.
        var imageOfRow = Enumerable.Range(0, images).ToArray();
        var live = images;
        for (var step = 0; step <= options.MaxWords && live > 0; step++)
        {
            buffers.Bind(live);
            Step(buffers);
            buffers.Flip();
            for (var row = 0; row < live; row++)
            {
                var image = imageOfRow[row];
                var scores = buffers.LogProbabilities.AsSpan(row * vocabularySize, vocabularySize);
                var token = step < begin.Length ? begin[step] : step == options.MaxWords ? SpecialTokens.EndId : chooser.Choose(scores);
                logProbabilities[image] += scores[token];
                tokenLogProbabilities[(image * (options.MaxWords + 1)) + lengths[image]] = scores[token];
                buffers.Tokens[row] = token;
                if (token == SpecialTokens.EndId)
                {
                    continue;
                }

                if (attention is not null)
                {
                    buffers.Attention.AsSpan(row * regions, regions).CopyTo(attention.AsSpan(((image * options.MaxWords) + lengths[image]) * regions));
                }

                words[(image * options.MaxWords) + lengths[image]++] = token;
            }

            // Fill the finished rows with the last live ones; the step's outputs are read by now.
            live = LiveRows.Compact(live, row => buffers.Tokens[row] == SpecialTokens.EndId, (from, to) =>
            {
                imageOfRow[to] = imageOfRow[from];
                buffers.MoveInputs(from, to);
                buffers.MoveState(from, to);
            });
        }

        var results = new List<DecodedCaption>(images);
        for (var row = 0; row < images; row++)
        {
            var tokens = words.AsSpan(row * options.MaxWords, lengths[row]);
            var caption = Words(tokens);
            var hypothesis = new CaptionHypothesis(caption, tokens.ToArray(), logProbabilities[row], logProbabilities[row])
            {
                Attention = attention is null ? null : AttentionRows(attention.AsSpan(row * options.MaxWords * regions, lengths[row] * regions)),
                WordLogProbabilities = tokenLogProbabilities.AsSpan(row * (options.MaxWords + 1), lengths[row] + 1).ToArray(),
            };
            results.Add(new DecodedCaption(caption, logProbabilities[row], [hypothesis]));
        }

        return results;
    }

    /// <summary>Splits consecutive 49-weight rows, one per word.</summary>
    internal static float[][] AttentionRows(ReadOnlySpan<float> weights)
    {
        var rows = new float[weights.Length / EncoderIdentity.Regions][];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = weights.Slice(i * EncoderIdentity.Regions, EncoderIdentity.Regions).ToArray();
        }

        return rows;
    }
}
