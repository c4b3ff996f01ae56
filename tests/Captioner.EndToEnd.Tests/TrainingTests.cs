using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Captioner.TestSupport;
using Xunit.Abstractions;

namespace Captioner.EndToEnd.Tests;

/// <summary>
/// The durable training job through the local host on Azurite: real dataset blobs, real feature
/// extraction, TorchSharp training, ONNX export, publish and promotion, and a crash in the middle.
/// </summary>
[Collection(RunningStackGroup.Name)]
public sealed class TrainingTests(RunningStack stack, ITestOutputHelper log)
{
    private const string Dataset = "datasets/tiny/";
    private const string BadDataset = "datasets/bad/";

    [Fact]
    public async Task A_training_job_publishes_and_promotes_a_model_new_captions_carry_and_survives_the_host_being_killed_mid_training()
    {
        var training = await UploadTinyDatasetAsync(Dataset, train: 240, dev: 60);
        var previous = (await stack.Models.GetCurrentAsync())!.Version;
        try
        {
            var id = await StartAsync(new
            {
                imagesPrefix = Dataset + "images/",
                captions = Dataset + "captions.tsv",
                trainSplit = Dataset + "train.txt",
                devSplit = Dataset + "dev.txt",
                datasetName = "tiny",
                force = true,
                shardSize = 100,
                options = new { maxEpochs = 5, patience = 6, selfCriticalEpochs = 1, minWordCount = 3, embeddingSize = 64, hiddenSize = 128, attentionSize = 64, batchSize = 32, threads = 1 },
            });

            // Kill the host once two epochs are checkpointed and training goes on.
            var status = await WaitAsync(id, job => Epoch(job) >= 2 || IsFinished(job), TimeSpan.FromMinutes(4));
            Assert.Equal("Running", status.GetProperty("runtimeStatus").GetString());
            var killedAfter = Epoch(status);
            stack.KillHost();
            var linesBeforeRestart = stack.HostOutput.Count;
            var sinceKill = Stopwatch.StartNew();
            stack.StartHost();

            while (!stack.HostOutput.Skip(linesBeforeRestart).Any(line => line.Contains("resuming from the checkpoint", StringComparison.Ordinal)) && sinceKill.Elapsed < TimeSpan.FromMinutes(6))
            {
                await Task.Delay(250);
            }

            log.WriteLine($"killed after epoch {killedAfter}; training resumed {sinceKill.Elapsed.TotalSeconds:F0} s after the kill");
            var done = await WaitAsync(id, IsFinished, TimeSpan.FromMinutes(6));
            Assert.True(done.GetProperty("runtimeStatus").GetString() == "Completed", done.ToString());
            var output = done.GetProperty("output");
            var version = output.GetProperty("version").GetString()!;
            Assert.StartsWith("tiny-", version, StringComparison.Ordinal);
            Assert.True(output.GetProperty("promoted").GetBoolean());
            var history = output.GetProperty("history").EnumerateArray().ToList();
            Assert.Equal([1, 2, 3, 4, 5, 6], history.Select(e => e.GetProperty("epoch").GetInt32()));

            // Five cross-entropy epochs, then a self-critical one with its CIDEr-D reward; the status shows that phase.
            Assert.Equal(["cross-entropy", "cross-entropy", "cross-entropy", "cross-entropy", "cross-entropy", "self-critical"], history.Select(e => e.GetProperty("phase").GetString()));
            Assert.InRange(history[^1].GetProperty("reward").GetDouble(), 0, 10);
            Assert.Equal("self-critical", done.GetProperty("status").GetProperty("trainingPhase").GetString());
            Assert.True(done.GetProperty("status").TryGetProperty("reward", out _));
            // After the restart, training went on from the last checkpoint, not from scratch.
            var resumed = stack.HostOutput.Skip(linesBeforeRestart).Select(line => Regex.Match(line, "resuming from the checkpoint of epoch (\\d+)")).First(match => match.Success);
            Assert.InRange(int.Parse(resumed.Groups[1].Value, CultureInfo.InvariantCulture), killedAfter, 5);
            var metrics = output.GetProperty("metrics");
            Assert.InRange(metrics.GetProperty("greedy.cider").GetDouble(), 0.01, 5);
            Assert.InRange(metrics.GetProperty("parityMaxAbsDiff").GetDouble(), 0, 1e-4);
            Assert.Equal(version, (await stack.Models.GetCurrentAsync())!.Version);
            using (var published = await stack.Models.LoadAsync(version))
            {
                Assert.Equal(240, published.Manifest.Training!.TrainImages);
                Assert.Equal("adaptive-attention", published.Manifest.Decoder.Kind); // the default kind; the chaos run trains soft attention

                // Familiarity fit on the job's training photos, published and hash-verified with the model.
                Assert.Contains(Core.Confidence.ConfidenceFile.FileName, published.Manifest.Files.Keys);
                Assert.Equal(240, published.Assessor!.File.Captions.Count);
            }

            // The workers pick the promoted model up without a restart: a new upload is captioned by it.
            await WaitForServedModelAsync(version);
            var name = $"after-training/{Guid.NewGuid():N}.jpg";
            var etag = await stack.UploadAsync(name, File.ReadAllBytes(Path.Combine(RepositoryPaths.Flickr8k, "images", ImageNames("split_dev.txt")[^1])));
            var result = (await stack.WaitForResultsAsync(new Dictionary<string, string> { [name] = etag }, TimeSpan.FromMinutes(2)))[name];
            Assert.Equal(version, result.ModelVersion);
            Assert.False(string.IsNullOrWhiteSpace(result.Caption ?? result.BestGuess));
            Assert.NotNull(result.Familiarity);
        }
        finally
        {
            await stack.Models.PromoteAsync(previous);
            await WaitForServedModelAsync(previous);
        }

        Assert.NotNull(training);
    }

    [Fact]
    public async Task Bad_datasets_fail_at_the_prepare_step_with_errors_that_say_what_is_wrong()
    {
        var training = await UploadTinyDatasetAsync(BadDataset, train: 20, dev: 5);
        await training.GetBlobClient(BadDataset + "empty.tsv").UploadAsync(new BinaryData(string.Empty), overwrite: true);
        await training.GetBlobClient(BadDataset + "captions.xml").UploadAsync(new BinaryData("<captions><caption image=\"a.jpg\">a dog</caption></captions>"), overwrite: true);
        await training.GetBlobClient(BadDataset + "no-dev.txt").UploadAsync(new BinaryData("\n"), overwrite: true);
        await training.GetBlobClient(BadDataset + "with-missing.tsv").UploadAsync(new BinaryData(
            (await training.GetBlobClient(BadDataset + "captions.tsv").DownloadContentAsync()).Value.Content + "\nghost_1.jpg\tA ghost .\nghost_2.jpg\tAnother ghost .\n"), overwrite: true);
        var ghostsInTrain = Encoding.UTF8.GetString((await training.GetBlobClient(BadDataset + "train.txt").DownloadContentAsync()).Value.Content) + "\nghost_1.jpg\nghost_2.jpg\n";
        await training.GetBlobClient(BadDataset + "train-with-ghosts.txt").UploadAsync(new BinaryData(ghostsInTrain), overwrite: true);

        var cases = new (object Body, string Error)[]
        {
            (Body("with-missing.tsv", trainSplit: "train-with-ghosts.txt"), "2 captioned image(s) are missing from 'training/datasets/bad/images/': ghost_1.jpg, ghost_2.jpg"),
            (Body("empty.tsv"), "The captions file 'datasets/bad/empty.tsv' is empty."),
            (Body("captions.xml"), "Unknown captions format of 'datasets/bad/captions.xml'"),
            (Body("captions.tsv", devSplit: "no-dev.txt"), "The dev split has no images."),
            (Body("nothing-here.tsv"), "The captions file 'training/datasets/bad/nothing-here.tsv' does not exist."),
        };

        // One at a time: a host runs one training job at once (Captioner:MaxRunningTrainingJobs).
        foreach (var (body, error) in cases)
        {
            var job = await WaitAsync(await StartAsync(body), IsFinished, TimeSpan.FromMinutes(2));
            Assert.Equal("Failed", job.GetProperty("runtimeStatus").GetString());
            Assert.Contains("dataset: " + error, job.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal("failed", job.GetProperty("status").GetProperty("phase").GetString());
        }
    }

    [Fact]
    public async Task A_second_training_job_is_refused_while_one_runs_and_accepted_once_it_has_stopped()
    {
        await UploadTinyDatasetAsync(BadDataset, train: 20, dev: 5);
        var body = Body("captions.tsv");
        var first = await StartAsync(body);
        try
        {
            using var second = await stack.Http.PostAsJsonAsync("/api/training", body);
            var text = await second.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.Contains($"1 training job(s) already running ({first}); at most 1 at once", text, StringComparison.Ordinal);
        }
        finally
        {
            using var terminate = await stack.Http.PostAsync(new Uri($"/api/training/{first}/terminate", UriKind.Relative), null);
            await WaitAsync(first, IsFinished, TimeSpan.FromMinutes(2));
        }

        await WaitAsync(await StartAsync(Body("nothing-here.tsv")), IsFinished, TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task A_request_without_a_captions_file_is_refused_and_an_unknown_job_is_not_found()
    {
        using var refused = await stack.Http.PostAsJsonAsync("/api/training", new { imagesPrefix = "x/" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("'captions'", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var missing = await stack.Http.GetAsync(new Uri("/api/training/no-such-job", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static object Body(string captions, string? format = null, string? trainSplit = null, string? devSplit = null) => new
    {
        imagesPrefix = BadDataset + "images/",
        captions = BadDataset + captions,
        format = format ?? "auto",
        trainSplit = BadDataset + (trainSplit ?? "train.txt"),
        devSplit = BadDataset + (devSplit ?? "dev.txt"),
    };

    private async Task<string> StartAsync(object body)
    {
        using var response = await stack.Http.PostAsJsonAsync("/api/training", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        using var accepted = JsonDocument.Parse(text);
        Assert.EndsWith("/terminate", accepted.RootElement.GetProperty("terminateUri").GetString(), StringComparison.Ordinal);
        return accepted.RootElement.GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> WaitAsync(string id, Func<JsonElement, bool> until, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        JsonElement job = default;
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await stack.Http.GetAsync(new Uri($"/api/training/{id}", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    job = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                    if (until(job))
                    {
                        return job;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // The host is restarting.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Training job {id} did not get there within {timeout}: {job}");
    }

    private static bool IsFinished(JsonElement job) => job.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed" or "Terminated";

    private static int Epoch(JsonElement job) =>
        job.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object && status.GetProperty("phase").GetString() == "training" ? status.GetProperty("epoch").GetInt32() : 0;

    private async Task WaitForServedModelAsync(string version)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var health = await stack.Http.GetFromJsonAsync<Dictionary<string, string?>>("/api/health");
            if (health?["model"] == version)
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"The host did not switch to model {version}.");
    }

    private static IReadOnlyList<string> ImageNames(string split) =>
        [.. File.ReadLines(Path.Combine(RepositoryPaths.Flickr8k, split)).Select(l => l.Trim()).Where(l => l.Length > 0)];

    /// <summary>Uploads the first <paramref name="train"/> and <paramref name="dev"/> images of the Flickr8k splits with their captions (once per stack).</summary>
    private async Task<BlobContainerClient> UploadTinyDatasetAsync(string prefix, int train, int dev)
    {
        var container = stack.Storage.Container(stack.Storage.Names.TrainingContainer);
        var trainNames = ImageNames("split_train.txt").Take(train).ToList();
        var devNames = ImageNames("split_dev.txt").Take(dev).ToList();
        var wanted = trainNames.Concat(devNames).ToHashSet(StringComparer.Ordinal);
        var captions = File.ReadLines(Path.Combine(RepositoryPaths.Flickr8k, "captions.tsv")).Where(line => wanted.Contains(line.Split('\t')[0]));
        await Parallel.ForEachAsync(wanted, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (name, token) =>
        {
            var blob = container.GetBlobClient(prefix + "images/" + name);
            if (!(await blob.ExistsAsync(token)).Value)
            {
                await blob.UploadAsync(Path.Combine(RepositoryPaths.Flickr8k, "images", name), token);
            }
        });
        await container.GetBlobClient(prefix + "captions.tsv").UploadAsync(new BinaryData(string.Join('\n', captions)), overwrite: true);
        await container.GetBlobClient(prefix + "train.txt").UploadAsync(new BinaryData(string.Join('\n', trainNames)), overwrite: true);
        await container.GetBlobClient(prefix + "dev.txt").UploadAsync(new BinaryData(string.Join('\n', devNames)), overwrite: true);
        return container;
    }
}
