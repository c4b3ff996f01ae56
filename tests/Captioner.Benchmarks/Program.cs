using System.Diagnostics;
using Captioner.Benchmarks;
using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.Core.Messages;
using Captioner.Core.Models;

// Prints timings of the decoder step loop and the encoder as ratios against baselines run here, now.
// Usage: dotnet run -c Release --project tests/Captioner.Benchmarks -- [--model DIR] [--baseline-model DIR] [--images DIR] [--count N] [--rounds R] [--encoder-precision-only]
// --model (default models/default) is compared with --baseline-model (default models/show-and-tell) at greedy, beam 3 and beam 5,
// in R (default 5) alternating rounds each.
// `confidence [--count N]` measures what scoring captions (familiarity, confidence) adds to captioning's CPU per image.
// `pipeline --images DIR --count N --connection CS --api URL --host-pid PID [--precision P] [--quick]` measures the whole path on a running
// stack instead: scripts/bench-pipeline.sh starts one and calls it.
if (args.Length > 0 && args[0] == "pipeline")
{
    return await PipelineBenchmark.RunAsync(
        Argument("--images") ?? throw new ArgumentException("--images is required"),
        int.Parse(Argument("--count") ?? "1000", System.Globalization.CultureInfo.InvariantCulture),
        Argument("--connection") ?? throw new ArgumentException("--connection is required"),
        new Uri(Argument("--api") ?? "http://127.0.0.1:7071"),
        int.Parse(Argument("--host-pid") ?? throw new ArgumentException("--host-pid is required"), System.Globalization.CultureInfo.InvariantCulture),
        Argument("--model") ?? Path.Combine(RepositoryRoot(), "models", "default"),
        Argument("--precision") ?? "auto",
        args.Contains("--quick"));
}

// `scale seed --count N --connection CS [--seed-results]` then `scale --count N --connection CS --api URL [--quick] [--seed-results]`: bookkeeping at
// scale on a running stack (scripts/bench-scale.sh).
if (args.Length > 0 && args[0] == "scale")
{
    var scaleCount = int.Parse(Argument("--count") ?? "1000", System.Globalization.CultureInfo.InvariantCulture);
    var connection = Argument("--connection") ?? throw new ArgumentException("--connection is required");
    return args.Length > 1 && args[1] == "seed"
        ? await ScaleBenchmark.SeedAsync(scaleCount, connection, args.Contains("--seed-results"))
        : await ScaleBenchmark.RunAsync(scaleCount, connection, new Uri(Argument("--api") ?? "http://127.0.0.1:7071"), args.Contains("--quick"), args.Contains("--seed-results"));
}

// `adapt split --captions TSV --train-split F --count N --replay R --out DIR` and
// `adapt score --captions TSV --eval-split F --count N --fine-tune-seconds S name=captions.tsv...`: scripts/bench-adapt.sh's splits and scores.
if (args.Length > 1 && args[0] == "adapt")
{
    int Number(string name, string fallback) => int.Parse(Argument(name) ?? fallback, System.Globalization.CultureInfo.InvariantCulture);
    if (args[1] == "split")
    {
        return AdaptBenchmark.Split(Argument("--captions")!, Argument("--train-split")!, Number("--count", "300"), Number("--replay", "600"), Number("--dev-per-family", "25"), Argument("--out")!);
    }

    var scores = AdaptBenchmark.Score(Argument("--captions")!, Argument("--eval-split")!, [.. args.Where(a => a.Contains('=', StringComparison.Ordinal) && !a.StartsWith("--", StringComparison.Ordinal))]);
    Console.WriteLine(AdaptBenchmark.JsonLine(Number("--count", "300"), scores, double.Parse(Argument("--fine-tune-seconds") ?? "0", System.Globalization.CultureInfo.InvariantCulture)));
    return 0;
}

// `confidence [--model DIR] [--images DIR] [--count N] [--rounds R]`: what scoring captions adds to captioning's CPU per image.
if (args.Length > 0 && args[0] == "confidence")
{
    var folder = Argument("--images") ?? Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "data", "flickr8k", "images"));
    return ConfidenceBenchmark.Run(
        Argument("--model") ?? Path.Combine(RepositoryRoot(), "models", "default"),
        [.. Directory.EnumerateFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Take(int.Parse(Argument("--count") ?? "256", System.Globalization.CultureInfo.InvariantCulture))],
        int.Parse(Argument("--rounds") ?? "5", System.Globalization.CultureInfo.InvariantCulture));
}

var modelDirectory = Argument("--model") ?? Path.Combine(RepositoryRoot(), "models", "default");
var baselineDirectory = Argument("--baseline-model") ?? Path.Combine(RepositoryRoot(), "models", "show-and-tell");
var imagesDirectory = Argument("--images") ?? Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "data", "flickr8k", "images"));
var count = int.Parse(Argument("--count") ?? "256", System.Globalization.CultureInfo.InvariantCulture);
var rounds = int.Parse(Argument("--rounds") ?? "5", System.Globalization.CultureInfo.InvariantCulture);

var files = Directory.EnumerateFiles(imagesDirectory, "*.jpg").Order(StringComparer.Ordinal).Take(count).ToArray();
Console.WriteLine($"model {modelDirectory}, baseline model {baselineDirectory}, {files.Length} images from {imagesDirectory}, {Environment.ProcessorCount} cores");

// The encoder alone at fp32 and int8 on the CPU.
var bytes = files.Select(File.ReadAllBytes).ToArray();
EncoderPrecisionBenchmark.Run(bytes);
if (args.Contains("--encoder-precision-only"))
{
    return 0;
}

using var extractor = new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = true });
Console.WriteLine($"encoder on {extractor.ExecutionProvider}");
var preprocessor = new ImagePreprocessor();

// Encoder: batch 32 against one image per call.
var batched = new ImageFeaturizer(preprocessor, extractor, batchSize: 32);
var single = new ImageFeaturizer(preprocessor, extractor, batchSize: 1);
single.Featurize(8, i => bytes[i]);
var encodeOne = Time(() => single.Featurize(bytes.Length, i => bytes[i]));
FeatureResult[] results = [];
var encodeBatch = Time(() => results = batched.Featurize(bytes.Length, i => bytes[i]));
Report("encode (decode+resize+ResNet18)", "batch 1", encodeOne, "batch 32", encodeBatch, bytes.Length);

// The step loop against a plain NamedOnnxValue loop, on the show-and-tell baseline model (pooled features).
var features = results.SelectMany(r => r.Features!).ToArray();
using var baseline = CaptioningModel.LoadFolder(baselineDirectory);
using var naive = new NaiveStepLoop(baselineDirectory);
var greedy = DecodingOptions.Greedy;

// Warm both paths, then check they agree before timing them.
var ours = baseline.Decoder.Decode(features, files.Length, greedy);
var theirs = naive.Greedy(features, files.Length, greedy.MaxWords);
var agree = ours.Zip(theirs).Count(p => p.First.Caption == baseline.Vocabulary.Decode(p.Second));
Console.WriteLine($"greedy captions identical between the two loops: {agree}/{files.Length}");

var naiveOne = Time(() => { for (var i = 0; i < files.Length; i++) { naive.Greedy(features[(i * 512)..((i + 1) * 512)], 1, greedy.MaxWords); } });
var oursOne = Time(() => { for (var i = 0; i < files.Length; i++) { baseline.Decoder.Decode(features.AsSpan(i * 512, 512), 1, greedy); } });
Report("greedy decode, one image per call", "NamedOnnxValue loop", naiveOne, "preallocated OrtValue loop", oursOne, files.Length);
var naiveBatch = Time(() => naive.Greedy(features, files.Length, greedy.MaxWords));
var oursBatch = Time(() => baseline.Decoder.Decode(features, files.Length, greedy));
Report($"greedy decode, {files.Length} images per call", "NamedOnnxValue loop", naiveBatch, "preallocated OrtValue loop", oursBatch, files.Length);
Report("greedy decode, batching", "one image per call", oursOne, $"{files.Length} per call", oursBatch, files.Length);

// The model against the baseline at each decoding, batched, in alternating rounds.
using var model = CaptioningModel.LoadFolder(modelDirectory);
var inputs = results.SelectMany(r => r.InputFor(model.Decoder.UsesMap)).ToArray();
Console.WriteLine($"model: {model.Version} ({model.Manifest.Decoder.Kind}); baseline: {baseline.Version} ({baseline.Manifest.Decoder.Kind}); median of {rounds} alternating rounds");
if (model.Decoder.UsesMap)
{
    // What the features queue does to the map: 8 bits per value with per-channel scales.
    var queued = results.SelectMany(r => MessageCodec.UnpackMap(MessageCodec.PackMap(r.Map!))).ToArray();
    var direct = model.Decoder.Decode(inputs, files.Length, DecodingOptions.BeamSearch(3));
    var throughQueue = model.Decoder.Decode(queued, files.Length, DecodingOptions.BeamSearch(3));
    Console.WriteLine($"beam 3 captions identical with the map as queued (8-bit): {direct.Zip(throughQueue).Count(p => p.First.Caption == p.Second.Caption)}/{files.Length}");
}

AlternatingRounds? greedyRounds = null;
foreach (var (name, options) in new[] { ("greedy", greedy), ("beam 3", DecodingOptions.BeamSearch(3)), ("beam 5", DecodingOptions.BeamSearch(5)) })
{
    var measured = AlternatingRounds.Measure(() => baseline.Decoder.Decode(features, files.Length, options), () => model.Decoder.Decode(inputs, files.Length, options), rounds);
    greedyRounds ??= measured;
    Console.WriteLine(FormattableString.Invariant(
        $"{name} decode, batched: baseline {measured.BaselineMedian.TotalMilliseconds / files.Length:F3} ms/image, model {measured.CandidateMedian.TotalMilliseconds / files.Length:F3} ms/image, cost x{measured.Ratio:F2}"));
    Console.WriteLine($"  rounds (ms/image) baseline [{AlternatingRounds.PerItem(measured.Baseline, files.Length)}], model [{AlternatingRounds.PerItem(measured.Candidate, files.Length)}]");
    if (measured != greedyRounds)
    {
        Report($"{name} decode, batched, baseline model", "greedy", greedyRounds.BaselineMedian, name, measured.BaselineMedian, files.Length);
        Report($"{name} decode, batched, model", "greedy", greedyRounds.CandidateMedian, name, measured.CandidateMedian, files.Length);
    }
}

return 0;

static TimeSpan Time(Action action)
{
    var clock = Stopwatch.StartNew();
    action();
    return clock.Elapsed;
}

static void Report(string what, string baselineName, TimeSpan baseline, string candidateName, TimeSpan candidate, int images) =>
    Console.WriteLine(FormattableString.Invariant(
        $"{what}: {baselineName} {baseline.TotalMilliseconds / images:F3} ms/image, {candidateName} {candidate.TotalMilliseconds / images:F3} ms/image, speed-up x{baseline / candidate:F2}"));

string? Argument(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Captioner.Functions.sln")))
        {
            return directory.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
