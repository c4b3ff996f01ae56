using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Captioner.Core.Telemetry;
using SkiaSharp;

namespace Captioner.Benchmarks;

/// <summary>
/// Bookkeeping at scale, against a local stack (scripts/bench-scale.sh): <see cref="SeedAsync"/> puts COUNT small
/// generated images in <c>images</c> before the host starts (photos already there, as a user points the product at
/// a backlog: no upload events), then <see cref="RunAsync"/> captions them once with a bulk job and measures what it
/// costs to find that nothing needs captioning: a non-forced bulk job over them, a sweep (the reconcile job, over the
/// whole container) and the idle host. Storage requests are the host's own count (every request its clients send).
/// Prints a table and, last, one JSON line.
/// </summary>
internal static class ScaleBenchmark
{
    private const string Prefix = "scale/";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Uploads the images and marks them as there before the stack (the local event stand-in's checkpoint past them).
    /// With <paramref name="withResults"/> it also writes each image's result as the pipeline does (through
    /// <see cref="ResultStore"/>, the image's ETag in the result's metadata), so the run measures a captioned backlog
    /// without captioning it first: at 100,000 images the emulator, not the host, sets the captioning pace here.
    /// </summary>
    public static async Task<int> SeedAsync(int count, string connectionString, bool withResults)
    {
        var storage = StorageClients.FromConnectionString(connectionString);
        await storage.EnsureCreatedAsync();
        var clock = Stopwatch.StartNew();
        var etags = await UploadGeneratedAsync(storage.Container(storage.Names.ImagesContainer), count);
        if (withResults)
        {
            var results = new ResultStore(storage.Container(storage.Names.CaptionsContainer));
            await Parallel.ForEachAsync(etags, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (image, token) =>
                await results.WriteAsync(SeededResult(storage.Names.ImagesContainer, image.Key, image.Value), replace: false, token));
        }

        var checkpoint = storage.Container("local-host");
        await checkpoint.CreateIfNotExistsAsync();
        await checkpoint.GetBlobClient("blob-events-checkpoint.txt").UploadAsync(BinaryData.FromString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O", CultureInfo.InvariantCulture)), overwrite: true);
        Console.WriteLine(Invariant($"{count:N0} generated images uploaded{(withResults ? " with a result each" : string.Empty)} in {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    /// <summary>A result as the pipeline writes one for an image it captioned.</summary>
    private static CaptionResult SeededResult(string container, string name, string etag) => new()
    {
        Image = name,
        Container = container,
        ETag = etag,
        Status = CaptionResult.Succeeded,
        Caption = "a seeded result",
        ModelVersion = "seeded",
        Encoder = "seeded",
        Time = DateTimeOffset.UtcNow,
    };

    public static async Task<int> RunAsync(int count, string connectionString, Uri api, bool quick, bool resultsSeeded)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromMinutes(2) };
        var storage = StorageClients.FromConnectionString(connectionString);
        await using var progress = new BulkProgress(storage);
        var images = storage.Container(storage.Names.ImagesContainer);
        Console.WriteLine($"{count:N0} generated images, {Environment.ProcessorCount} cores");

        var (captionSeconds, captionRequests, captioned) = resultsSeeded
            ? (double.NaN, double.NaN, "not run: the seed wrote the results")
            : await BulkAsync(http, progress, new { container = images.Name, prefix = Prefix, force = true }, count, quick);
        var (skipSeconds, skipRequests, skipped) = await BulkAsync(http, progress, new { container = images.Name, prefix = Prefix }, count, quick);
        var (sweepSeconds, sweepRequests, swept) = await BulkAsync(http, progress, new { container = images.Name, prefix = string.Empty }, count, quick);

        // Idle: past the event stand-in's busy spell, nothing uploaded (the script turns the host's own sweep off);
        // the sweep's measured cost is added at its default interval, one a minute.
        var idleWindow = TimeSpan.FromSeconds(quick ? 15 : 60);
        await Task.Delay(TimeSpan.FromSeconds(quick ? 5 : 35));
        var before = await MetricsAsync(http);
        await Task.Delay(idleWindow);
        var background = ((await MetricsAsync(http)).StorageRequestsTotal - before.StorageRequestsTotal) / idleWindow.TotalSeconds;

        // A job's own requests: what the host sent while it ran less what it sends idle in as long (the event stand-in's
        // listing of the whole container every 10 s, the model poll, queue polling), which the job did not cause.
        double Own(double requestsPerImage, double seconds) => double.IsNaN(requestsPerImage) ? double.NaN : Math.Max(0, requestsPerImage - (background * seconds / count));
        var (skipOwn, sweepOwn) = (Own(skipRequests, skipSeconds), Own(sweepRequests, sweepSeconds));
        var idle = background + (sweepOwn * count / new PipelineOptions().ReconcileInterval.TotalSeconds);

        Console.WriteLine();
        Console.WriteLine($"| {"phase",-44} | {"seconds",8} | {"images/s",9} | {"requests/image",14} | outcome");
        Console.WriteLine($"| {new string('-', 44)} | {new string('-', 8)} | {new string('-', 9)} | {new string('-', 14)} | -------");
        Row("caption once (forced bulk job)", captionSeconds, count, captionRequests, captioned);
        Row("non-forced bulk job over them (skip)", skipSeconds, count, skipOwn, Invariant($"{skipped}; {skipRequests:F5} with the idle host's own requests in the same time"));
        Row("sweep of the whole container (reconcile)", sweepSeconds, count, sweepOwn, Invariant($"{swept}; {sweepRequests:F5} with the idle host's own requests in the same time"));
        Console.WriteLine(Invariant($"idle host: {background:F2} storage requests per second over {idleWindow.TotalSeconds:F0} s (event stand-in, model poll, queue and durable polling the app's clients send), {idle:F2} with a sweep a minute"));
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            images = count,
            captionRequestsPerImage = double.IsNaN(captionRequests) ? (double?)null : Math.Round(captionRequests, 4),
            skipRequestsPerImage = Math.Round(skipOwn, 5),
            sweepRequestsPerImage = Math.Round(sweepOwn, 5),
            skipRequestsPerImageWithIdle = Math.Round(skipRequests, 5),
            sweepRequestsPerImageWithIdle = Math.Round(sweepRequests, 5),
            skipImagesPerSecond = Math.Round(count / skipSeconds, 1),
            sweepSeconds = Math.Round(sweepSeconds, 1),
            idleRequestsPerSecond = Math.Round(idle, 2),
        }));
        return 0;
    }

    /// <summary>Small valid JPEGs (64 x 64, a colour of their own), uploaded 32 at a time; their names and ETags.</summary>
    private static async Task<System.Collections.Concurrent.ConcurrentDictionary<string, string>> UploadGeneratedAsync(BlobContainerClient images, int count)
    {
        var etags = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, token) =>
        {
            var name = Invariant($"{Prefix}{i:D7}.jpg");
            var uploaded = await images.GetBlobClient(name).UploadAsync(new BinaryData(Generated(i)), overwrite: true, token);
            etags[name] = uploaded.Value.ETag.ToString();
        });
        return etags;
    }

    private static byte[] Generated(int i)
    {
        using var bitmap = new SKBitmap(64, 64);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor((byte)(i * 37), (byte)((i * 91) >> 2), (byte)((i * 53) >> 4)));
            using var paint = new SKPaint { Color = new SKColor((byte)(255 - (i % 256)), 128, (byte)(i % 200)) };
            canvas.DrawCircle(16 + (i % 32), 32, 8 + (i % 16), paint);
        }

        using var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
        return encoded.ToArray();
    }

    /// <summary>Runs one bulk job to completion; its seconds, the host's storage requests per image, and its counts.</summary>
    private static async Task<(double Seconds, double RequestsPerImage, string Outcome)> BulkAsync(HttpClient http, BulkProgress progress, object body, int count, bool quick)
    {
        var before = await MetricsAsync(http);
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync("/api/bulk", body);
        response.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        // Read from the table directly: status calls through the host would add to its request counts.
        var deadline = TimeSpan.FromMinutes(quick ? 10 : 240);
        BulkStatus? status;
        while ((status = await progress.GetAsync(id)) is not { Completed: true })
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Bulk job {id} not complete after {deadline}: {status}");
            }

            await Task.Delay(500);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var requests = ((await MetricsAsync(http)).StorageRequestsTotal - before.StorageRequestsTotal) / (double)count;
        return (seconds, requests, $"{status.Done} done, {status.Skipped} skipped, {status.Failed} failed of {status.Total}");
    }

    private static async Task<MetricsSnapshot> MetricsAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<MetricsSnapshot>("/api/metrics", Json))!;

    private static void Row(string what, double seconds, int images, double requests, string outcome) =>
        Console.WriteLine(Invariant($"| {what,-44} | {seconds,8:F1} | {images / seconds,9:F1} | {(double.IsNaN(requests) ? "-" : requests.ToString("F5", CultureInfo.InvariantCulture)),14} | {outcome}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
