using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Core.Vocabulary;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Captioner.Benchmarks;

/// <summary>
/// The baseline: the textbook greedy step loop, new NamedOnnxValue tensors and result copies every
/// step. The product's <see cref="CaptionDecoder"/> is measured against it.
/// </summary>
internal sealed class NaiveStepLoop : IDisposable
{
    private readonly InferenceSession _init;
    private readonly InferenceSession _step;

    public NaiveStepLoop(string modelDirectory)
    {
        _init = new InferenceSession(Path.Combine(modelDirectory, DecoderGraphs.InitFile));
        _step = new InferenceSession(Path.Combine(modelDirectory, DecoderGraphs.StepFile));
    }

    public int[][] Greedy(float[] features, int count, int maxWords)
    {
        var input = new DenseTensor<float>(features.AsMemory(0, count * EncoderIdentity.FeatureSize), [count, EncoderIdentity.FeatureSize]);
        using var state = _init.Run([NamedOnnxValue.CreateFromTensor(DecoderGraphs.Features, input)]);
        var h = state.First(v => v.Name == DecoderGraphs.HiddenIn).AsTensor<float>().ToDenseTensor();
        var c = state.First(v => v.Name == DecoderGraphs.CellIn).AsTensor<float>().ToDenseTensor();
        var tokens = Enumerable.Repeat((long)SpecialTokens.StartId, count).ToArray();
        var words = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        var finished = new bool[count];
        for (var step = 0; step <= maxWords && finished.Any(f => !f); step++)
        {
            using var outputs = _step.Run(
            [
                NamedOnnxValue.CreateFromTensor(DecoderGraphs.Token, new DenseTensor<long>(tokens.ToArray(), [count])),
                NamedOnnxValue.CreateFromTensor(DecoderGraphs.HiddenIn, h),
                NamedOnnxValue.CreateFromTensor(DecoderGraphs.CellIn, c),
            ]);
            var logp = outputs.First(v => v.Name == DecoderGraphs.LogProbabilities).AsTensor<float>().ToArray();
            h = outputs.First(v => v.Name == DecoderGraphs.HiddenOut).AsTensor<float>().ToDenseTensor();
            c = outputs.First(v => v.Name == DecoderGraphs.CellOut).AsTensor<float>().ToDenseTensor();
            var vocabulary = logp.Length / count;
            for (var row = 0; row < count; row++)
            {
                var scores = logp.AsSpan(row * vocabulary, vocabulary);
                var best = SpecialTokens.EndId;
                for (var t = SpecialTokens.EndId; t < vocabulary; t++)
                {
                    if (scores[t] > scores[best])
                    {
                        best = t;
                    }
                }

                tokens[row] = best;
                if (!finished[row])
                {
                    if (best == SpecialTokens.EndId || step == maxWords)
                    {
                        finished[row] = true;
                    }
                    else
                    {
                        words[row].Add(best);
                    }
                }
            }
        }

        return [.. words.Select(w => w.ToArray())];
    }

    public void Dispose()
    {
        _init.Dispose();
        _step.Dispose();
    }
}
