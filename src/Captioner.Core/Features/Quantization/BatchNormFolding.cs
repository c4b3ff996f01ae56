using Onnx;

namespace Captioner.Core.Features.Quantization;

/// <summary>
/// Folds each BatchNormalization that follows a Conv into that Conv's weights and bias, so the Conv alone
/// gives the normalised output (under the BatchNormalization's output name) and can be quantised as one op.
/// </summary>
internal static class BatchNormFolding
{
    public static void Fold(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
        foreach (var norm in graph.Node.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            if (!producers.TryGetValue(norm.Input[0], out var conv) || conv.OpType != "Conv" || consumers[conv.Output[0]].Count() != 1)
            {
                throw new NotSupportedException($"{norm.Name} does not follow a Conv of its own; only Conv + BatchNormalization pairs are folded.");
            }

            var epsilon = norm.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            var gamma = OnnxTensors.ReadFloats(initializers[norm.Input[1]]);
            var beta = OnnxTensors.ReadFloats(initializers[norm.Input[2]]);
            var mean = OnnxTensors.ReadFloats(initializers[norm.Input[3]]);
            var variance = OnnxTensors.ReadFloats(initializers[norm.Input[4]]);
            var weight = initializers[conv.Input[1]];
            var weights = OnnxTensors.ReadFloats(weight);
            var bias = conv.Input.Count > 2 ? OnnxTensors.ReadFloats(initializers[conv.Input[2]]) : new float[gamma.Length];
            var perChannel = weights.Length / gamma.Length;
            var foldedBias = new float[gamma.Length];
            for (var c = 0; c < gamma.Length; c++)
            {
                // Double: the running variance reaches the thousands here, and the factor multiplies every weight.
                var factor = gamma[c] / Math.Sqrt(variance[c] + epsilon);
                for (var i = c * perChannel; i < (c + 1) * perChannel; i++)
                {
                    weights[i] = (float)(weights[i] * factor);
                }

                foldedBias[c] = (float)(beta[c] + ((bias[c] - mean[c]) * factor));
            }

            var weightName = conv.Input[1] + "_folded";
            var biasName = conv.Input[1] + "_folded_bias";
            graph.Initializer.Add(OnnxTensors.Floats(weightName, [.. weight.Dims], weights));
            graph.Initializer.Add(OnnxTensors.Floats(biasName, [gamma.Length], foldedBias));
            conv.Input[1] = weightName;
            if (conv.Input.Count > 2)
            {
                conv.Input[2] = biasName;
            }
            else
            {
                conv.Input.Add(biasName);
            }

            conv.Output[0] = norm.Output[0];
            graph.Node.Remove(norm);
        }

        RemoveUnusedInitializers(graph);
    }

    /// <summary>Drops initializers no node reads any more, so the built graph carries only what it runs.</summary>
    public static void RemoveUnusedInitializers(GraphProto graph)
    {
        var used = graph.Node.SelectMany(n => n.Input).ToHashSet();
        foreach (var unused in graph.Initializer.Where(t => !used.Contains(t.Name)).ToList())
        {
            graph.Initializer.Remove(unused);
        }
    }
}
