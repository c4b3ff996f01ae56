using Microsoft.ML.OnnxRuntime;

namespace Captioner.Core.Decoding;

/// <summary>
/// Everything one step of the decoder reads and writes for <see cref="Rows"/> rows, allocated once
/// per batch: ONNX Runtime writes straight into these arrays, so the step loop allocates nothing.
/// Two state buffers alternate as input and output.
/// </summary>
internal sealed class StepBuffers : IDisposable
{
    private readonly OrtValue[][] _inputs;
    private readonly OrtValue[][] _outputs;
    private readonly List<OrtValue> _owned = [];

    public StepBuffers(int rows, int hiddenSize, int vocabularySize)
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
        _inputs = [[token, hidden[0], cell[0]], [token, hidden[1], cell[1]]];
        _outputs = [[logProbabilities, hidden[1], cell[1]], [logProbabilities, hidden[0], cell[0]]];
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

    public IReadOnlyCollection<OrtValue> Inputs => _inputs[Current];

    public IReadOnlyCollection<OrtValue> Outputs => _outputs[Current];

    /// <summary>Makes the state just written the one the next step reads.</summary>
    public void Flip() => Current = 1 - Current;

    public void Dispose()
    {
        foreach (var value in _owned)
        {
            value.Dispose();
        }
    }

    private OrtValue Own(OrtValue value)
    {
        _owned.Add(value);
        return value;
    }
}
