using Captioner.Core.Features;
using Microsoft.ML.OnnxRuntime;

namespace Captioner.Core.Decoding;

/// <summary>
/// Everything one step of the decoder reads and writes for <see cref="Rows"/> rows, allocated once
/// per batch and bound to the step graph once (an <see cref="OrtIoBinding"/> per direction): ONNX
/// Runtime reads and writes these arrays in place, so the step loop allocates nothing. Two state
/// buffers alternate as input and output. Soft-attention decoders also read each row's region map and
/// its projection (written once by the init graph) and write the step's attention weights.
/// </summary>
internal sealed class StepBuffers : IDisposable
{
    private readonly OrtIoBinding[] _bindings;
    private readonly List<IDisposable> _owned = [];

    public StepBuffers(InferenceSession step, int rows, int hiddenSize, int vocabularySize, int? attentionSize = null)
    {
        Rows = rows;
        HiddenSize = hiddenSize;
        VocabularySize = vocabularySize;
        Tokens = new long[rows];
        Hidden = [new float[rows * hiddenSize], new float[rows * hiddenSize]];
        Cell = [new float[rows * hiddenSize], new float[rows * hiddenSize]];
        LogProbabilities = new float[rows * vocabularySize];
        var token = Own(OrtValue.CreateTensorValueFromMemory(Tokens, [rows]));
        var logProbabilities = Own(OrtValue.CreateTensorValueFromMemory(LogProbabilities, [rows, vocabularySize]));
        var hidden = Hidden.Select(buffer => Own(OrtValue.CreateTensorValueFromMemory(buffer, [rows, hiddenSize]))).ToArray();
        var cell = Cell.Select(buffer => Own(OrtValue.CreateTensorValueFromMemory(buffer, [rows, hiddenSize]))).ToArray();
        OrtValue? map = null, projected = null, attention = null;
        if (attentionSize is { } size)
        {
            Map = new float[rows * EncoderIdentity.MapSize];
            ProjectedMap = new float[rows * EncoderIdentity.Regions * size];
            Attention = new float[rows * EncoderIdentity.Regions];
            map = Own(OrtValue.CreateTensorValueFromMemory(Map, [rows, EncoderIdentity.Regions, EncoderIdentity.FeatureSize]));
            projected = Own(OrtValue.CreateTensorValueFromMemory(ProjectedMap, [rows, EncoderIdentity.Regions, size]));
            attention = Own(OrtValue.CreateTensorValueFromMemory(Attention, [rows, EncoderIdentity.Regions]));
        }

        _bindings = new OrtIoBinding[2];
        for (var current = 0; current < 2; current++)
        {
            var binding = Own(step.CreateIoBinding());
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
    }

    public int Rows { get; }

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

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }

    private T Own<T>(T value)
        where T : IDisposable
    {
        _owned.Add(value);
        return value;
    }
}
