using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.Core.Models;

namespace Captioner.Benchmarks;

/// <summary>
/// What scoring a caption (familiarity, consensus, confidence) adds to captioning's CPU per image: encoding plus decoding
/// (the baseline) against the same plus scoring, in alternating rounds, at greedy (the upload default) and beam 3; and
/// scoring alone against decoding alone. All in this process, on the CPU; no storage request is involved in scoring.
/// </summary>
internal static class ConfidenceBenchmark
{
    public static int Run(string modelDirectory, IReadOnlyList<string> files, int rounds)
    {
        using var model = CaptioningModel.LoadFolder(modelDirectory);
        var assessor = model.Assessor ?? throw new InvalidOperationException($"{modelDirectory} has no confidence.json to measure.");
        using var extractor = new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = false });
        var featurizer = new ImageFeaturizer(new ImagePreprocessor(), extractor, batchSize: 32);
        var bytes = files.Select(File.ReadAllBytes).ToArray();
        Console.WriteLine($"confidence scoring: model {model.Version}, {files.Count} images, encoder {extractor.Precision} on {extractor.ExecutionProvider}, {Environment.ProcessorCount} cores, median of {rounds} alternating rounds");

        foreach (var (name, options) in new[] { ("greedy", DecodingOptions.Greedy), ("beam 3", DecodingOptions.BeamSearch(3)) })
        {
            (float[] Pooled, IReadOnlyList<DecodedCaption> Captions) Caption()
            {
                var served = featurizer.Featurize(bytes.Length, i => bytes[i]).Select(r => r.AsQueued()).ToArray();
                var inputs = served.SelectMany(r => r.InputFor(model.Decoder.UsesMap)).ToArray();
                return (served.SelectMany(r => r.Features!).ToArray(), model.Decoder.Decode(inputs, served.Length, options));
            }

            // In batches of 32, as a worker's decoder batches arrive.
            void Score(float[] pooled, IReadOnlyList<DecodedCaption> captions)
            {
                for (var start = 0; start < captions.Count; start += 32)
                {
                    var size = Math.Min(32, captions.Count - start);
                    assessor.AssessAll(pooled.AsSpan(start * EncoderIdentity.FeatureSize, size * EncoderIdentity.FeatureSize), [.. captions.Skip(start).Take(size)]);
                }
            }

            var whole = AlternatingRounds.Measure(() => Caption(), () => { var (pooled, captions) = Caption(); Score(pooled, captions); }, rounds);
            Console.WriteLine(FormattableString.Invariant(
                $"{name}: encode + decode {whole.BaselineMedian.TotalMilliseconds / files.Count:F3} ms/image, with scoring {whole.CandidateMedian.TotalMilliseconds / files.Count:F3} ms/image, cost x{whole.Ratio:F3}"));
            Console.WriteLine($"  rounds (ms/image) without [{AlternatingRounds.PerItem(whole.Baseline, files.Count)}], with [{AlternatingRounds.PerItem(whole.Candidate, files.Count)}]");

            // The parts on their own: decoding features at hand, and scoring its captions.
            var (features, decoded) = Caption();
            var served = featurizer.Featurize(bytes.Length, i => bytes[i]).Select(r => r.AsQueued()).ToArray();
            var mapInputs = served.SelectMany(r => r.InputFor(model.Decoder.UsesMap)).ToArray();
            var parts = AlternatingRounds.Measure(() => model.Decoder.Decode(mapInputs, served.Length, options), () => Score(features, decoded), rounds);
            Console.WriteLine(FormattableString.Invariant(
                $"  decode alone {parts.BaselineMedian.TotalMilliseconds / files.Count:F3} ms/image, scoring alone {parts.CandidateMedian.TotalMilliseconds / files.Count:F3} ms/image (x{parts.Ratio:F3} of decoding)"));
        }

        return 0;
    }
}
