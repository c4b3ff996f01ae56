using Captioner.Core.Features;
using Captioner.Core.Imaging;

namespace Captioner.Benchmarks;

/// <summary>
/// The encoder alone (network on decoded pixels, no JPEG decoding) on the CPU at fp32 and int8, batch 32, in
/// <see cref="AlternatingRounds"/>; the speed-up is also given as the median of each round's own ratio.
/// </summary>
internal static class EncoderPrecisionBenchmark
{
    /// <summary>Medians of alternating rounds (images/s) and the median of the rounds' own int8 / fp32 ratios.</summary>
    public sealed record Result(int Batch, int Images, int Rounds, double Fp32, double Int8, double RoundRatio, IReadOnlyList<double> Fp32Rates, IReadOnlyList<double> Int8Rates);

    public static void Run(IReadOnlyList<byte[]> images)
    {
        if (Measure(images, 32, 7) is not { } result)
        {
            Console.WriteLine("encoder precision: needs at least 32 images");
            return;
        }

        Console.WriteLine(FormattableString.Invariant(
            $"encoder precision (CPU, batch {result.Batch}, {result.Images} images, median of {result.Rounds} alternating rounds): fp32 {result.Fp32:F1} images/s, int8 {result.Int8:F1} images/s, speed-up x{result.Int8 / result.Fp32:F2} (median of per-round ratios x{result.RoundRatio:F2})"));
        Console.WriteLine(FormattableString.Invariant(
            $"  rounds fp32 [{string.Join(", ", result.Fp32Rates.Select(r => r.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}], int8 [{string.Join(", ", result.Int8Rates.Select(r => r.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}]"));
    }

    /// <summary>Times both precisions on the first whole batches of <paramref name="images"/>; null when there is not one batch.</summary>
    public static Result? Measure(IReadOnlyList<byte[]> images, int batch, int rounds)
    {
        var count = images.Count / batch * batch;
        if (count == 0)
        {
            return null;
        }

        var pixels = new float[count * EncoderInput.FloatsPerImage];
        var preprocessor = new ImagePreprocessor();
        Parallel.For(0, count, i => preprocessor.DecodeInto(images[i], pixels.AsSpan(i * EncoderInput.FloatsPerImage, EncoderInput.FloatsPerImage)));
        using var fp32 = new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = false, Precision = "fp32" });
        using var int8 = new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = false, Precision = "int8" });
        var batches = Enumerable.Range(0, count / batch)
            .Select(b => pixels.AsSpan(b * batch * EncoderInput.FloatsPerImage, batch * EncoderInput.FloatsPerImage).ToArray())
            .ToArray();
        var timed = AlternatingRounds.Measure(() => ExtractAll(fp32, batches, batch), () => ExtractAll(int8, batches, batch), rounds);
        double Rate(TimeSpan time) => count / time.TotalSeconds;
        return new Result(batch, count, rounds, Rate(timed.BaselineMedian), Rate(timed.CandidateMedian), 1 / timed.Ratio, [.. timed.Baseline.Select(Rate)], [.. timed.Candidate.Select(Rate)]);
    }

    private static void ExtractAll(FeatureExtractor extractor, float[][] batches, int batch)
    {
        foreach (var pixels in batches)
        {
            extractor.Extract(pixels, batch);
        }
    }
}
