using Captioner.Core.Features;
using Microsoft.ML.OnnxRuntime;

namespace Captioner.Core.Decoding;

/// <summary>
/// Everything one step of the decoder reads and writes, allocated once per batch for <see cref="Rows"/> rows and
/// bound to the step graph (an <see cref="OrtIoBinding"/> per direction): ONNX Runtime reads and writes these arrays
/// in place, so the step loop allocates nothing. Two state buffers alternate as input and output. Attention decoders
/// also read each row's region map and its projection (written once by the init graph) and write the step's
/// attention weights. A step runs over the first <see cref="LiveRows"/> rows only: the loops move the rows still
/// decoding to the front (<see cref="MoveInputs"/>) as captions finish, so finished ones cost nothing.
/// </summary>
internal sealed class StepBuffers : IDisposable
{
    private readonly InferenceSession _step;
    private readonly int? _attentionSize;
    private readonly List<IDisposable> _bound = [];
    private OrtIoBinding[] _bindings = [];

    public StepBuffers(InferenceSession step, int rows, int hiddenSize, int vocabularySize, int? attentionSize = null)
    {
        _step = step;
        _attentionSize = attentionSize;
        Rows = rows;
        HiddenSize = hiddenSize;
        VocabularySize = vocabularySize;
        Tokens = new long[rows];
        Hidden = [new float[rows * hiddenSize], new float[rows * hiddenSize]];
        Cell = [new float[rows * hiddenSize], new float[rows * hiddenSize]];
        LogProbabilities = new float[rows * vocabularySize];
        if (attentionSize is { } size)
        {
            Map = new float[rows * EncoderIdentity.MapSize];
            ProjectedMap = new float[rows * EncoderIdentity.Regions * size];
            Attention = new float[rows * EncoderIdentity.Regions];
        }

        Bind(rows);
    }

    /// <summary>Rows allocated.</summary>
    public int Rows { get; }

    /// <summary>Rows the next step runs over: the first ones.</summary>
    public int LiveRows { get; private set; }

    public int HiddenSize { get; }

    public int VocabularySize { get; }

    /// <summary>The token fed to each row at the next step.</summary>
    public long[] Tokens { get; }

    /// <summary>Hidden states: [Current] is read by the next step, the other is written.</summary>
    public float[][] Hidden { get; }

    /// <summary>Cell states, alternating like <see cref="Hidden"/>.</summary>
    public float[][] Cell { get; }

    /// <summary>The last step's log-probabilities, [Rows x V].</summary>
    public float[] LogProbabilities { get; }

    /// <summary>Each row's region map [Rows x 49 x 512] (attention decoders; null otherwise).</summary>
    public float[]? Map { get; }

    /// <summary>Each row's projected map [Rows x 49 x A] from the init graph (attention decoders).</summary>
    public float[]? ProjectedMap { get; }

    /// <summary>The last step's attention weights [Rows x 49] (attention decoders).</summary>
    public float[]? Attention { get; }

    /// <summary>Which state buffer the next step reads.</summary>
    public int Current { get; private set; }

    /// <summary>Reads the current state, writes the other.</summary>
    public OrtIoBinding Binding => _bindings[Current];

    /// <summary>Makes the state just written the one the next step reads.</summary>
    public void Flip() => Current = 1 - Current;

    /// <summary>Makes the next steps run over the first <paramref name="rows"/> rows (a no-op when they already do).</summary>
    public void Bind(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, Rows);
        if (rows == LiveRows)
        {
            return;
        }

        ReleaseBindings();
        var token = Bound(Tokens, rows);
        var logProbabilities = Bound(LogProbabilities, rows, VocabularySize);
        var hidden = Hidden.Select(buffer => Bound(buffer, rows, HiddenSize)).ToArray();
        var cell = Cell.Select(buffer => Bound(buffer, rows, HiddenSize)).ToArray();
        OrtValue? map = null, projected = null, attention = null;
        if (_attentionSize is { } size)
        {
            map = Bound(Map!, rows, EncoderIdentity.Regions, EncoderIdentity.FeatureSize);
            projected = Bound(ProjectedMap!, rows, EncoderIdentity.Regions, size);
            attention = Bound(Attention!, rows, EncoderIdentity.Regions);
        }

        _bindings = new OrtIoBinding[2];
        for (var current = 0; current < 2; current++)
        {
            var binding = _step.CreateIoBinding();
            _bound.Add(binding);
            binding.BindInput(DecoderGraphs.Token, token);
            binding.BindInput(DecoderGraphs.HiddenIn, hidden[current]);
            binding.BindInput(DecoderGraphs.CellIn, cell[current]);
            binding.BindOutput(DecoderGraphs.LogProbabilities, logProbabilities);
            binding.BindOutput(DecoderGraphs.HiddenOut, hidden[1 - current]);
            binding.BindOutput(DecoderGraphs.CellOut, cell[1 - current]);
            if (map is not null)
            {
                binding.BindInput(DecoderGraphs.Map, map);
                binding.BindInput(DecoderGraphs.ProjectedMap, projected!);
                binding.BindOutput(DecoderGraphs.Attention, attention!);
            }

            _bindings[current] = binding;
        }

        LiveRows = rows;
    }

    /// <summary>Copies row <paramref name="from"/>'s next token, map and projected map into row <paramref name="to"/>.</summary>
    public void MoveInputs(int from, int to)
    {
        Tokens[to] = Tokens[from];
        if (_attentionSize is { } size)
        {
            Array.Copy(Map!, from * EncoderIdentity.MapSize, Map!, to * EncoderIdentity.MapSize, EncoderIdentity.MapSize);
            var projected = EncoderIdentity.Regions * size;
            Array.Copy(ProjectedMap!, from * projected, ProjectedMap!, to * projected, projected);
        }
    }

    /// <summary>Copies row <paramref name="from"/>'s current state (the one the next step reads) into row <paramref name="to"/>.</summary>
    public void MoveState(int from, int to)
    {
        Array.Copy(Hidden[Current], from * HiddenSize, Hidden[Current], to * HiddenSize, HiddenSize);
        Array.Copy(Cell[Current], from * HiddenSize, Cell[Current], to * HiddenSize, HiddenSize);
    }

    public void Dispose() => ReleaseBindings();

    private void ReleaseBindings()
    {
        for (var i = _bound.Count - 1; i >= 0; i--)
        {
            _bound[i].Dispose();
        }

        _bound.Clear();
    }

    // The tensor covers the first rows of the array: ONNX Runtime accepts memory longer than the shape needs.
    private OrtValue Bound<T>(T[] buffer, int rows, params long[] rowShape)
        where T : unmanaged
    {
        var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(), [rows, .. rowShape]);
        _bound.Add(value);
        return value;
    }
}
