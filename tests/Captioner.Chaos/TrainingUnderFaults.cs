using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Captioner.Core.Storage;
using Captioner.TestSupport;

namespace Captioner.Chaos;

/// <summary>Whether the durable training job finished under the faults, and how.</summary>
internal sealed record TrainingOutcome(bool Completed, string RuntimeStatus, double Seconds, string? Version, string? Error);

/// <summary>
/// A small durable training job (Flickr8k: 60 training and 20 dev photos, two short epochs) started through
/// the host's API while the proxy keeps failing its storage requests: dataset, vocabulary, feature fan-out,
/// training chunks, evaluation, export, publication and promotion must all get through.
/// </summary>
internal sealed class TrainingUnderFaults(StorageClients storage, HttpClient http)
{
    private const string Dataset = "datasets/chaos/";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(12);

    public async Task<TrainingOutcome> RunAsync(Action<string> progress)
    {
        await UploadDatasetAsync(train: 60, dev: 20);
        var clock = Stopwatch.StartNew();
        var id = await StartAsync();
        progress($"training job {id} started");
        JsonElement job = default;
        var phase = string.Empty;
        while (clock.Elapsed < Patience)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"/api/training/{id}", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    job = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                    var status = job.GetProperty("runtimeStatus").GetString()!;
                    var now = job.TryGetProperty("status", out var detail) && detail.ValueKind == JsonValueKind.Object && detail.TryGetProperty("phase", out var p) ? p.GetString() ?? status : status;
                    if (now != phase)
                    {
                        progress($"training: {now}");
                        phase = now;
                    }

                    if (status is "Completed" or "Failed" or "Terminated")
                    {
                        var output = job.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
                        return new TrainingOutcome(
                            status == "Completed",
                            status,
                            Math.Round(clock.Elapsed.TotalSeconds, 1),
                            output.ValueKind == JsonValueKind.Object && output.TryGetProperty("version", out var v) ? v.GetString() : null,
                            status == "Completed" ? null : job.ToString());
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // The host answers slowly while its storage fails; ask again.
            }

            await Task.Delay(1000);
        }

        return new TrainingOutcome(false, "TimedOut", Math.Round(clock.Elapsed.TotalSeconds, 1), null, job.ValueKind == JsonValueKind.Undefined ? null : job.ToString());
    }

    private async Task<string> StartAsync()
    {
        var body = new
        {
            imagesPrefix = Dataset + "images/",
            captions = Dataset + "captions.tsv",
            trainSplit = Dataset + "train.txt",
            devSplit = Dataset + "dev.txt",
            datasetName = "chaos",
            force = true,
            shardSize = 40,
            options = new { decoder = "soft-attention", maxEpochs = 2, patience = 3, selfCriticalEpochs = 0, minWordCount = 3, embeddingSize = 32, hiddenSize = 64, attentionSize = 32, batchSize = 32, threads = 1 },
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await http.PostAsJsonAsync("/api/training", body);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
                }

                if (attempt == 20 || (int)response.StatusCode < 500)
                {
                    throw new InvalidOperationException($"POST /api/training answered {(int)response.StatusCode}: {text}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && attempt < 20)
            {
            }

            await Task.Delay(1000);
        }
    }

    private async Task UploadDatasetAsync(int train, int dev)
    {
        var container = storage.Container(storage.Names.TrainingContainer);
        var flickr = RepositoryPaths.Flickr8k;
        var trainNames = File.ReadLines(Path.Combine(flickr, "split_train.txt")).Where(l => l.Length > 0).Take(train).ToList();
        var devNames = File.ReadLines(Path.Combine(flickr, "split_dev.txt")).Where(l => l.Length > 0).Take(dev).ToList();
        var wanted = trainNames.Concat(devNames).ToHashSet(StringComparer.Ordinal);
        var captions = File.ReadLines(Path.Combine(flickr, "captions.tsv")).Where(line => wanted.Contains(line.Split('\t')[0]));
        await Parallel.ForEachAsync(wanted, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (name, token) =>
            await container.GetBlobClient(Dataset + "images/" + name).UploadAsync(Path.Combine(flickr, "images", name), overwrite: true, token));
        await container.GetBlobClient(Dataset + "captions.tsv").UploadAsync(new BinaryData(string.Join('\n', captions)), overwrite: true);
        await container.GetBlobClient(Dataset + "train.txt").UploadAsync(new BinaryData(string.Join('\n', trainNames)), overwrite: true);
        await container.GetBlobClient(Dataset + "dev.txt").UploadAsync(new BinaryData(string.Join('\n', devNames)), overwrite: true);
    }
}
