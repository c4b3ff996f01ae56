using Captioner.Core.Decoding;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Captioner.Training.Export;

/// <summary>An exported decoder's init and step graphs opened for a parity check, each run returning its outputs as arrays.</summary>
internal sealed class ExportedGraphs : IDisposable
{
    private readonly InferenceSession _init;
    private readonly InferenceSession _step;
    private readonly RunOptions _runOptions = new();

    public ExportedGraphs(string directory)
    {
        _init = new InferenceSession(Path.Combine(directory, DecoderGraphs.InitFile));
        _step = new InferenceSession(Path.Combine(directory, DecoderGraphs.StepFile));
    }

    /// <summary>The tokens a check starts from: ordinary words (past the special tokens), one per image.</summary>
    public static long[] FirstTokens(int images) => [.. Enumerable.Range(0, images).Select(i => (long)(2 + (i % 7)))];

    public float[][] RunInit(string[] inputs, OrtValue[] values, string[] outputs) => Run(_init, inputs, values, outputs);

    public float[][] RunStep(string[] inputs, OrtValue[] values, string[] outputs) => Run(_step, inputs, values, outputs);

    /// <summary>The largest absolute difference between a TorchSharp tensor and the graph's values for it.</summary>
    public static double Difference(Tensor expected, float[] actual)
    {
        var values = expected.contiguous().data<float>();
        double worst = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(values[i] - actual[i]));
        }

        return worst;
    }

    public void Dispose()
    {
        _init.Dispose();
        _step.Dispose();
        _runOptions.Dispose();
    }

    private float[][] Run(InferenceSession session, string[] inputs, OrtValue[] values, string[] outputs)
    {
        using var results = session.Run(_runOptions, inputs, values, outputs);
        return [.. results.Select(result => result.GetTensorDataAsSpan<float>().ToArray())];
    }
}
