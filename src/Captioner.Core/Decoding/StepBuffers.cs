using Microsoft.ML.OnnxRuntime;

namespace Captioner.Core.Decoding;

/// <summary>
/// Everything one step of the decoder reads and writes for <see cref="Rows"/> rows, allocated once
/// per batch and bound to the step graph once (an <see cref="OrtIoBinding"/> per direction): ONNX
/// Runtime reads and writes these arrays in place, so the step loop allocates nothing. Two state
/// buffers alternate as input and output.
/// </summary>
internal sealed class StepBuffers : IDisposable
{
    private readonly OrtIoBinding[] _bindings;
    private readonly List<IDisposable> _owned = [];

    public StepBuffers(InferenceSession step, int rows, int hiddenSize, int vocabularySize)
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
