using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Captioner.Evaluation.Captioning;
using Captioner.Core.Decoding;
using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Captioner.Core.Telemetry;

namespace Captioner.Benchmarks;

/// <summary>
/// The whole path, on one set of images and one decoding (greedy), against a running local stack
/// (started by scripts/bench-pipeline.sh): in-process captioning as the baseline, then the upload path,
/// a forced bulk job, the encoder alone in fp32 and int8, and large-photo decoding. Prints a table and,
/// last, one JSON line.
/// </summary>
internal static class PipelineBenchmark
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] IngestStages = ["queueMs", "encodeMs", "downloadMs"];

    public static async Task<int> RunAsync(string imagesDirectory, int count, string connectionString, Uri api, int hostPid, string modelDirectory, string precision, bool quick)
    {
        var files = Directory.EnumerateFiles(imagesDirectory, "*.jpg").Order(StringComparer.Ordinal).Take(count).ToArray();
        if (files.Length == 0)
        {
            Console.Error.WriteLine($"error: no .jpg images in {imagesDirectory}");
            return 2;
        }

        Console.WriteLine($"{files.Length} images from {imagesDirectory}, {Environment.ProcessorCount} cores, greedy decoding, encoder precision {precision} (host and in-process)");
        var rows = new List<(string What, double ImagesPerSecond, string Note)>();

        // Each path first captions the same warm-up images, enough for the runtime's tiered JIT to finish promoting its hot
        // methods: what is measured is a worker's steady state. The JIT is paid once per instance start, not per image;
        // measured with 16 warm-up images it was about 3 ms of the upload path's 22 ms per image over the next 1,000.
        var warmup = Math.Min(files.Length, quick ? 16 : 200);

        // 1. In-process: the CLI's path (decode, encoder batch 32, batched decoding), the baseline.
        double inProcess;
        double inProcessCpuMs;
        using (var captioner = ImageCaptioner.Open(modelDirectory, new FeatureExtractorOptions { PreferCuda = false, Precision = precision }))
        {
            var warm = captioner.CaptionFiles(files.Take(warmup).ToList(), DecodingOptions.Greedy).Count();
            var clock = Stopwatch.StartNew();
            var cpu = ProcessCpu.Self();
            var outcomes = captioner.CaptionFiles(files, DecodingOptions.Greedy).ToList();
            inProcessCpuMs = (ProcessCpu.Self() - cpu) * 1000 / files.Length;
            inProcess = files.Length / clock.Elapsed.TotalSeconds;
            rows.Add(("in-process captioning (baseline)", inProcess, $"{outcomes.Count(o => o.Caption is not null)} captions (after {warm} to warm up)"));
        }

        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromMinutes(2) };
        var images = new BlobContainerClient(connectionString, "images");
        var captions = new BlobContainerClient(connectionString, "captions");
        var run = "bench-" + DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

        // 1b. Storage alone, the host idle: the least the paths move through the emulator, which shares these cores.
        // The upload path must at least upload, read and write a result per image; a bulk job read and write.
        // Captioning and that storage work on the same cores take at least their sum, so these ratios are ceilings.
        var (uploadSeconds, readWriteSeconds) = await StorageAloneAsync(connectionString, files);
        var captionSeconds = files.Length / inProcess;
        var uploadCeiling = captionSeconds / (captionSeconds + uploadSeconds + readWriteSeconds);
        var bulkCeiling = captionSeconds / (captionSeconds + readWriteSeconds);
        rows.Add(("storage alone: upload", files.Length / uploadSeconds, "8 at a time, as the upload run does; no host work"));
        rows.Add(("storage alone: read image + write result", files.Length / readWriteSeconds, Invariant($"32 at a time; ceilings on these cores: upload path x{uploadCeiling:F2}, bulk x{bulkCeiling:F2} of in-process")));

        // 2. Upload path: upload, image-events, encoder batch, features queue, decoder batch, result. A few images go
        // through first, as the in-process run had its warm-up. Completion is read from the host's own count of
        // results written: listing the results over and over would load the storage emulator the host shares the CPU with.
        await UploadAndWaitAsync(http, images, files.Take(warmup).ToList(), run + "-warmup", TimeSpan.FromMinutes(5));
        var beforeUpload = await MetricsAsync(http);
        var uploadClock = Stopwatch.StartNew();
        var hostCpu = ProcessCpu.Seconds(hostPid);
        await UploadAndWaitAsync(http, images, files, run, TimeSpan.FromMinutes(quick ? 3 : 30));
        var upload = files.Length / uploadClock.Elapsed.TotalSeconds;
        var uploadCpuMs = (ProcessCpu.Seconds(hostPid) - hostCpu) * 1000 / files.Length;
        var afterUpload = await MetricsAsync(http);
        await CheckResultsAsync(captions, run + "/", files.Length);
        var uploadEncoder = Mean(beforeUpload, afterUpload, "encoder");
        var uploadRequests = (afterUpload.StorageRequestsTotal - beforeUpload.StorageRequestsTotal) / (double)files.Length;
        var delivery = await TriggerDelaysAsync(images, new ResultStore(captions), run + "/");
        rows.Add(("upload path (upload -> result)", upload, Invariant($"x{upload / inProcess:F2} of in-process; mean encoder batch {uploadEncoder:F1}, decoder batch {Mean(beforeUpload, afterUpload, "decoder"):F1}; {uploadRequests:F2} app storage requests/image ({Requests(beforeUpload, afterUpload, files.Length)}); {delivery}")));

        // 3. A forced bulk job over the same images, after one over the warm-up images.
        await using var progress = new BulkProgress(StorageClients.FromConnectionString(connectionString));
        await WaitForBulkAsync(progress, await StartBulkAsync(http, run + "-warmup/"), TimeSpan.FromMinutes(5));
        var beforeBulk = await MetricsAsync(http);
        var bulkClock = Stopwatch.StartNew();
        hostCpu = ProcessCpu.Seconds(hostPid);
        var status = await WaitForBulkAsync(progress, await StartBulkAsync(http, run + "/"), TimeSpan.FromMinutes(quick ? 3 : 30));
        var bulk = files.Length / bulkClock.Elapsed.TotalSeconds;
        var bulkCpuMs = (ProcessCpu.Seconds(hostPid) - hostCpu) * 1000 / files.Length;
        var afterBulk = await MetricsAsync(http);
        var bulkRequests = (afterBulk.StorageRequestsTotal - beforeBulk.StorageRequestsTotal) / (double)files.Length;
        rows.Add(("forced bulk job", bulk, Invariant($"x{bulk / inProcess:F2} of in-process; {status}; mean encoder batch {Mean(beforeBulk, afterBulk, "encoder"):F1}; {bulkRequests:F2} app storage requests/image ({Requests(beforeBulk, afterBulk, files.Length)})")));

        // 4. The encoder network alone on decoded pixels, both precisions in alternating rounds; then what the batch size buys.
        // At least one batch of 32 (the images repeated when there are fewer).
        var encoded = Enumerable.Range(0, Math.Max(32, Math.Min(files.Length, quick ? 32 : 256))).Select(i => File.ReadAllBytes(files[i % files.Length])).ToList();
        var precisions = EncoderPrecisionBenchmark.Measure(encoded, 32, quick ? 1 : 5)!;
        var (fp32, int8) = (precisions.Fp32, precisions.Int8);
        rows.Add(("encoder network only, fp32, batch 32", fp32, Invariant($"median of {precisions.Rounds} rounds alternating with int8")));
        rows.Add(("encoder network only, int8, batch 32", int8, Invariant($"x{int8 / fp32:F2} of fp32 (median of per-round ratios x{precisions.RoundRatio:F2})")));
        if (!quick)
        {
            foreach (var batch in new[] { 1, 8, 16, 64 })
            {
                var sized = EncoderPrecisionBenchmark.Measure(encoded.Take(batch == 1 ? 64 : encoded.Count).ToList(), batch, 3)!;
                rows.Add(($"encoder network only, fp32, batch {batch}", sized.Fp32, Invariant($"x{sized.Fp32 / fp32:F2} of batch 32")));
                rows.Add(($"encoder network only, int8, batch {batch}", sized.Int8, Invariant($"x{sized.Int8 / int8:F2} of batch 32")));
            }
        }

        // 5. A 12-megapixel photo: JPEG decoded at the scale the encoder needs vs fully decoded then resized.
        var (scaledMs, fullMs) = LargePhoto.Measure(files[0], quick ? 3 : 20);
        rows.Add(("12 MP JPEG to encoder input, scaled decode", 1000 / scaledMs, Invariant($"{scaledMs:F1} ms/image; full decode + resize {fullMs:F1} ms/image, x{fullMs / scaledMs:F1}")));

        // What a worker pays for: its own CPU per image on each path against in-process captioning's.
        rows.Add(("worker CPU ms per image: in-process", 1000 / inProcessCpuMs, Invariant($"{inProcessCpuMs:F1} ms (the benchmark process)")));
        rows.Add(("worker CPU ms per image: upload path", 1000 / uploadCpuMs, Invariant($"{uploadCpuMs:F1} ms (the host process), x{uploadCpuMs / inProcessCpuMs:F2} of in-process")));
        rows.Add(("worker CPU ms per image: forced bulk", 1000 / bulkCpuMs, Invariant($"{bulkCpuMs:F1} ms (the host process), x{bulkCpuMs / inProcessCpuMs:F2} of in-process")));

        Console.WriteLine();
        Console.WriteLine($"{"what",-42} {"images/s",9}  notes");
        foreach (var (what, rate, note) in rows)
        {
            Console.WriteLine(Invariant($"{what,-42} {rate,9:F1}  {note}"));
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            images = files.Length,
            inProcessImagesPerSecond = Math.Round(inProcess, 2),
            uploadImagesPerSecond = Math.Round(upload, 2),
            bulkImagesPerSecond = Math.Round(bulk, 2),
            meanEncoderBatch = Math.Round(uploadEncoder, 2),
            encoderFp32ImagesPerSecond = Math.Round(fp32, 2),
            encoderInt8ImagesPerSecond = Math.Round(int8, 2),
            storageRequestsPerImage = Math.Round(uploadRequests, 2),
            bulkStorageRequestsPerImage = Math.Round(bulkRequests, 2),
            uploadCeilingRatio = Math.Round(uploadCeiling, 2),
            bulkCeilingRatio = Math.Round(bulkCeiling, 2),
            inProcessWorkerCpuMs = Math.Round(inProcessCpuMs, 2),
            uploadWorkerCpuRatio = Math.Round(uploadCpuMs / inProcessCpuMs, 2),
            bulkWorkerCpuRatio = Math.Round(bulkCpuMs / inProcessCpuMs, 2),
        }));
        return 0;
    }

    /// <summary>Seconds to upload the images (8 at a time), then to read each back and write a 2 KB result (32 at a time).</summary>
    private static async Task<(double Upload, double ReadWrite)> StorageAloneAsync(string connectionString, IReadOnlyList<string> files)
    {
        var scratch = new BlobContainerClient(connectionString, "bench-storage");
        await scratch.CreateIfNotExistsAsync();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (file, token) =>
            await scratch.GetBlobClient("images/" + Path.GetFileName(file)).UploadAsync(file, token));
        var upload = clock.Elapsed.TotalSeconds;
        var result = new BinaryData(new byte[2048]);
        clock.Restart();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (file, token) =>
        {
            var name = Path.GetFileName(file);
            _ = (await scratch.GetBlobClient("images/" + name).DownloadContentAsync(token)).Value.Content;
            await scratch.GetBlobClient("results/" + name + ".json").UploadAsync(result, token);
        });
        var readWrite = clock.Elapsed.TotalSeconds;
        await scratch.DeleteAsync();
        return (upload, readWrite);
    }

    /// <summary>Starts a forced bulk job over <paramref name="prefix"/> in <c>images</c>; returns its id.</summary>
    private static async Task<string> StartBulkAsync(HttpClient http, string prefix)
    {
        using var accepted = await http.PostAsJsonAsync("/api/bulk", new { container = "images", prefix, force = true });
        accepted.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<MetricsSnapshot> MetricsAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<MetricsSnapshot>("/api/metrics", Json))!;

    private static double Mean(MetricsSnapshot before, MetricsSnapshot after, string stage)
    {
        var (b, a) = (before.Batches.GetValueOrDefault(stage), after.Batches.GetValueOrDefault(stage));
        var batches = (a?.Batches ?? 0) - (b?.Batches ?? 0);
        return batches == 0 ? 0 : ((a?.Items ?? 0) - (b?.Items ?? 0)) / (double)batches;
    }

    private static string Requests(MetricsSnapshot before, MetricsSnapshot after, int images) =>
        string.Join(", ", after.StorageRequests
            .Select(r => (r.Key, Count: r.Value - before.StorageRequests.GetValueOrDefault(r.Key)))
            .Where(r => r.Count > 0)
            .Select(r => Invariant($"{r.Key} {r.Count / (double)images:F2}")));

    /// <summary>
    /// How the trigger delivered the uploads: from each blob's last-modified time to its ingest's start (its
    /// result's time less the queue, encode and download stages), median and 90th percentile, and the span
    /// over which ingests started.
    /// </summary>
    private static async Task<string> TriggerDelaysAsync(BlobContainerClient images, ResultStore results, string prefix)
    {
        var uploaded = new Dictionary<string, DateTimeOffset>();
        await foreach (var blob in images.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
        {
            uploaded[blob.Name] = blob.Properties.LastModified ?? DateTimeOffset.MinValue;
        }

        var starts = new System.Collections.Concurrent.ConcurrentBag<(DateTimeOffset Uploaded, DateTimeOffset Started)>();
        await Parallel.ForEachAsync(uploaded, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (pair, token) =>
        {
            if (await results.GetAsync(images.Name, pair.Key, token) is { } result)
            {
                var stages = IngestStages.Sum(stage => result.Timings.GetValueOrDefault(stage));
                starts.Add((pair.Value, result.Time - TimeSpan.FromMilliseconds(stages)));
            }
        });

        var delays = starts.Select(s => (s.Started - s.Uploaded).TotalSeconds).Order().ToList();
        var span = (starts.Max(s => s.Started) - starts.Min(s => s.Started)).TotalSeconds;
        return Invariant($"trigger delay median {delays[delays.Count / 2]:F1} s, p90 {delays[(int)(delays.Count * 0.9)]:F1} s, ingests started over {span:F1} s");
    }

    private static async Task UploadAndWaitAsync(HttpClient http, BlobContainerClient images, IReadOnlyList<string> files, string folder, TimeSpan deadline)
    {
        var written = Written(await MetricsAsync(http));
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (file, token) =>
            await images.GetBlobClient($"{folder}/{Path.GetFileName(file)}").UploadAsync(file, token));
        var clock = Stopwatch.StartNew();
        while (Written(await MetricsAsync(http)) - written < files.Count)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Fewer than {files.Count} results after {deadline}.");
            }

            await Task.Delay(100);
        }
    }

    private static long Written(MetricsSnapshot metrics) => metrics.ResultsWritten.Values.Sum();

    /// <summary>Each image has its result blob (one listing, after the timing).</summary>
    private static async Task CheckResultsAsync(BlobContainerClient captions, string prefix, int expected)
    {
        var found = 0;
        await foreach (var _ in captions.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
        {
            found++;
        }

        if (found != expected)
        {
            throw new InvalidOperationException($"{found} results under {prefix}, expected {expected}.");
        }
    }

    // Read from the table directly: status calls through the host would add to the host's request counts.
    private static async Task<string> WaitForBulkAsync(BulkProgress progress, string id, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await progress.GetAsync(id);
            if (status is { Completed: true })
            {
                return $"{status.Done} done, {status.Skipped} skipped, {status.Failed} failed";
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Bulk job {id} not complete after {deadline}: {status}");
            }

            await Task.Delay(250);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
