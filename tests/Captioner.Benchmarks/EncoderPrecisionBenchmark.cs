using System.Diagnostics;
using Captioner.Core.Features;
using Captioner.Core.Imaging;

namespace Captioner.Benchmarks;

/// <summary>
/// The encoder alone (network on decoded pixels, no JPEG decoding) on the CPU at fp32 and int8, batch 32:
/// rounds alternate between the two so a busy neighbour on the machine slows both alike; the medians count, and
/// the speed-up is also given as the median of each round's own ratio, which a neighbour's load disturbs least.
/// </summary>
internal static class EncoderPrecisionBenchmark
{
    private const int Batch = 32;
    private const int Rounds = 7;

    public static void Run(IReadOnlyList<byte[]> images)
    {
        var count = images.Count / Batch * Batch;
        if (count == 0)
        {
            Console.WriteLine($"encoder precision: needs at least {Batch} images");
            return;
        }

        var pixels = new float[count * EncoderInput.FloatsPerImage];
        var preprocessor = new ImagePreprocessor();
        Parallel.For(0, count, i => preprocessor.DecodeInto(images[i], pixels.AsSpan(i * EncoderInput.FloatsPerImage, EncoderInput.FloatsPerImage)));
        using var fp32 = new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = false, Precision = "fp32" });
        using var int8 = new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = false, Precision = "int8" });
        var batches = Enumerable.Range(0, count / Batch)
            .Select(b => pixels.AsSpan(b * Batch * EncoderInput.FloatsPerImage, Batch * EncoderInput.FloatsPerImage).ToArray())
            .ToArray();
        fp32.Extract(batches[0], Batch);
        int8.Extract(batches[0], Batch);
        var fp32Rates = new List<double>();
        var int8Rates = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            fp32Rates.Add(ImagesPerSecond(fp32, batches));
            int8Rates.Add(ImagesPerSecond(int8, batches));
        }

        var fp32Median = Median(fp32Rates);
        var int8Median = Median(int8Rates);
        var ratio = Median([.. int8Rates.Zip(fp32Rates, (q, f) => q / f)]);
        Console.WriteLine(FormattableString.Invariant(
            $"encoder precision (CPU, batch {Batch}, {count} images, median of {Rounds} alternating rounds): fp32 {fp32Median:F1} images/s, int8 {int8Median:F1} images/s, speed-up x{int8Median / fp32Median:F2} (median of per-round ratios x{ratio:F2})"));
        Console.WriteLine(FormattableString.Invariant(
            $"  rounds fp32 [{string.Join(", ", fp32Rates.Select(r => r.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}], int8 [{string.Join(", ", int8Rates.Select(r => r.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}]"));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static double ImagesPerSecond(FeatureExtractor extractor, float[][] batches)
    {
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            extractor.Extract(batch, Batch);
        }

        return batches.Length * Batch / clock.Elapsed.TotalSeconds;
    }
}
