using Captioner.Core.Features;
using Captioner.Core.Features.Quantization;
using Captioner.Core.Imaging;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Captioner.Evaluation.Calibration;

/// <summary>
/// Measures the ranges of the activations the int8 encoder quantises, by running the float encoder (CPU) over
/// calibration images with those activations added as outputs. Use training images only: a table tuned on the
/// images it is judged on would flatter the int8 scores.
/// </summary>
public static class EncoderCalibrator
{
    private const int BatchSize = 8;

    /// <summary>
    /// Calibrates on <paramref name="images"/> (encoded files). <paramref name="percentile"/> 100 takes each
    /// activation's full extremes (min/max); below 100 it clips that share of outliers at each end.
    /// </summary>
    public static EncoderCalibration Calibrate(string encoderDirectory, IReadOnlyList<string> images, double percentile, string? source = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(percentile, 50);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (images.Count == 0)
        {
            throw new ArgumentException("No calibration images.", nameof(images));
        }

        var bytes = EncoderGraphs.ReadFile(Path.Combine(encoderDirectory, EncoderGraphs.ModelFile));
        var model = EncoderGraphs.WithDynamicBatch(bytes);
        var tensors = EncoderCalibration.TensorsOf(model.Graph);
        var input = model.Graph.Input[0].Name;
        var outputs = tensors.Where(t => t != input).ToArray();
        foreach (var name in outputs)
        {
            model.Graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        }

        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var preprocess = new InferenceSession(EncoderGraphs.Preprocess(encoderDirectory), options);
        using var network = new InferenceSession(EncoderGraphs.Serialize(model), options);
        using var runOptions = new RunOptions();
        var prepared = Prepare(preprocess, runOptions, images, progress);
        var observers = tensors.ToDictionary(t => t, _ => new RangeObserver());
        var passes = percentile < 100 ? 2 : 1;
        for (var pass = 1; pass <= passes; pass++)
        {
            foreach (var batch in prepared)
            {
                var count = batch.Length / EncoderInput.FloatsPerImage;
                using var value = OrtValue.CreateTensorValueFromMemory(batch, [count, 3, EncoderInput.Side, EncoderInput.Side]);
                using var results = network.Run(runOptions, [network.InputNames[0]], [value], outputs);
                foreach (var (name, result) in outputs.Zip(results).Append((input, value)))
                {
                    Observe(observers[name], result.GetTensorDataAsSpan<float>(), pass);
                }
            }

            progress?.Invoke($"pass {pass} of {passes} done");
        }

        return new EncoderCalibration
        {
            Encoder = EncoderIdentity.Name,
            EncoderSha256 = EncoderCalibration.HashOf(bytes),
            Method = percentile >= 100 ? "minmax" : FormattableString.Invariant($"percentile {percentile}"),
            Images = images.Count,
            Source = source,
            Ranges = tensors.ToDictionary(t => t, t => observers[t].Range(percentile)),
        };
    }

    private static void Observe(RangeObserver observer, ReadOnlySpan<float> values, int pass)
    {
        if (pass == 1)
        {
            observer.ObserveExtremes(values);
        }
        else
        {
            observer.ObserveHistogram(values);
        }
    }

    /// <summary>Decodes and preprocesses every image once, in batches, so both passes see exactly the same network inputs.</summary>
    private static List<float[]> Prepare(InferenceSession preprocess, RunOptions runOptions, IReadOnlyList<string> images, Action<string>? progress)
    {
        var decoder = new ImagePreprocessor();
        var batches = new List<float[]>();
        for (var start = 0; start < images.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, images.Count - start);
            var pixels = new float[count * EncoderInput.FloatsPerImage];
            var errors = new string?[count];
            Parallel.For(0, count, i =>
            {
                try
                {
                    decoder.DecodeInto(File.ReadAllBytes(images[start + i]), pixels.AsSpan(i * EncoderInput.FloatsPerImage, EncoderInput.FloatsPerImage));
                }
                catch (Exception ex) when (ex is ImageRejectedException or IOException or UnauthorizedAccessException)
                {
                    errors[i] = ex.Message;
                }
            });
            if (errors.Select((error, i) => (error, i)).FirstOrDefault(e => e.error is not null) is { error: { } message, i: var bad })
            {
                // A calibration set is chosen on purpose: a bad image in it is the caller's to fix, not to skip silently.
                throw new InvalidDataException($"Calibration image {images[start + bad]} cannot be used: {message}");
            }

            using var value = OrtValue.CreateTensorValueFromMemory(pixels, [count, 3, EncoderInput.Side, EncoderInput.Side]);
            using var result = preprocess.Run(runOptions, [preprocess.InputNames[0]], [value], [preprocess.OutputNames[0]]);
            batches.Add(result[0].GetTensorDataAsSpan<float>().ToArray());
        }

        progress?.Invoke($"{images.Count} images decoded");
        return batches;
    }
}
