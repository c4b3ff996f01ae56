using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Captioner.Core.Pipeline;
using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>Images dropped into <c>images</c> end as captions, through the local host and Azurite.</summary>
[Collection(RunningStackGroup.Name)]
public sealed class CaptioningTests(RunningStack stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private static readonly string[] Uploads = Directory.GetFiles(Path.Combine(RepositoryPaths.Flickr8k, "uploads"), "*.jpg").Order(StringComparer.Ordinal).ToArray();
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "images", name);

    [Fact]
    public async Task Sixty_uploaded_photos_end_as_sixty_captions()
    {
        Assert.Equal(60, Uploads.Length);
        var etags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Uploads.Length; i++)
        {
            // Folders, spaces and unicode in names.
            var name = (i % 3) switch
            {
                0 => $"sixty/{Path.GetFileName(Uploads[i])}",
                1 => $"sixty/trip 2024/day {i}/{Path.GetFileName(Uploads[i])}",
                _ => $"sixty/café/Ünïcødé {i}.jpg",
            };
            etags[name] = await stack.UploadAsync(name, File.ReadAllBytes(Uploads[i]));
        }

        var results = await stack.WaitForResultsAsync(etags, Patience);

        Assert.True(results.Count == 60, "no result for " + string.Join(", ", etags.Keys.Except(results.Keys)));
        Assert.All(results.Values, result =>
        {
            Assert.Equal(CaptionResult.Succeeded, result.Status);
            Assert.Matches("^[a-z]+( [a-z0-9]+){2,}$", result.Caption);
            Assert.False(string.IsNullOrEmpty(result.ModelVersion));
            Assert.InRange(result.Confidence!.Value, 0, 1);
            Assert.NotNull(result.Familiarity);
            Assert.Equal(result.Unfamiliar == true || result.Confidence < 0.2, result.Unsure);
        });

        // Flickr8k photos: the threshold flags about one in twenty of the dev split's.
        Assert.InRange(results.Values.Count(r => r.Unfamiliar == true), 0, 12);
    }

    [Fact]
    public async Task Photos_unlike_the_training_photos_are_flagged_unfamiliar_through_the_pipeline()
    {
        var samples = Path.Combine(RepositoryPaths.SharedData, "samples");
        var etags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "chelsea.png", "coffee.png", "rocket.jpg" })
        {
            etags[$"unfamiliar/{name}"] = await stack.UploadAsync($"unfamiliar/{name}", File.ReadAllBytes(Path.Combine(samples, name)));
        }

        var results = await stack.WaitForResultsAsync(etags, Patience);

        Assert.All(results.Values, result =>
        {
            Assert.True(result.Unfamiliar, $"{result.Image}: familiarity {result.Familiarity}");
            Assert.True(result.Unsure);
            Assert.StartsWith("unfamiliar photo", result.UnsureBecause, StringComparison.Ordinal);
            Assert.InRange(result.Confidence!.Value, 0, 1);
            Assert.NotNull(result.Caption);
        });
    }

    [Fact]
    public async Task Every_bad_input_gets_one_clear_failure_while_good_images_keep_flowing()
    {
        var photo = File.ReadAllBytes(Uploads[0]);
        var noise = new byte[5000];
        new Random(1).NextBytes(noise);
        var huge = new byte[21 * 1024 * 1024];
        var bad = new Dictionary<string, (byte[] Content, string? Reason)>
        {
            ["bad/truncated.jpg"] = (File.ReadAllBytes(Fixture("truncated.jpg")), "Truncated"),
            ["bad/text.jpg"] = (File.ReadAllBytes(Fixture("notes.txt")), "NotAnImage"),
            ["bad/bomb.png"] = (File.ReadAllBytes(Fixture("bomb.png")), "TooManyPixels"),
            ["bad/tiny.png"] = (File.ReadAllBytes(Fixture("tiny.png")), "TooSmall"),
            ["bad/icon.ico"] = (File.ReadAllBytes(Fixture("icon.ico")), "UnsupportedFormat"),
            ["bad/scan.tiff"] = (File.ReadAllBytes(Fixture("image.tiff")), "NotAnImage"),
            ["bad/noise.jpg"] = (noise, "NotAnImage"),
            ["bad/header-only.jpg"] = (photo[..300], null),
            ["bad/half.png"] = (File.ReadAllBytes(Fixture("alpha.png"))[..150], null),
            ["bad/page.png"] = ("<html><body>not a photo</body></html>"u8.ToArray(), "NotAnImage"),
            ["bad/huge.jpg"] = (huge, "TooLarge"),
            ["bad/cut.gif"] = (File.ReadAllBytes(Fixture("frames.gif"))[..60], null),
            ["bad/cut.webp"] = (File.ReadAllBytes(Fixture("halves.webp"))[..40], null),
        };
        var etags = new Dictionary<string, string>(StringComparer.Ordinal);
        var good = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var (name, (content, _)) in bad)
        {
            etags[name] = await stack.UploadAsync(name, content);
            var goodName = $"mixed/{i++}.jpg";
            good[goodName] = await stack.UploadAsync(goodName, File.ReadAllBytes(Uploads[i]));
        }

        var failures = await stack.WaitForResultsAsync(etags, Patience);
        var captions = await stack.WaitForResultsAsync(good, Patience);

        Assert.True(bad.Count == failures.Count, "no result for " + string.Join(", ", bad.Keys.Except(failures.Keys)));
        foreach (var (name, (_, reason)) in bad)
        {
            var result = failures[name];
            Assert.Equal(CaptionResult.Failed, result.Status);
            Assert.False(string.IsNullOrWhiteSpace(result.Error));
            if (reason is not null)
            {
                Assert.Equal(reason, result.Reason.ToString());
            }
        }

        Assert.Equal(good.Count, captions.Count);
        Assert.All(captions.Values, result => Assert.Equal(CaptionResult.Succeeded, result.Status));
    }

    [Fact]
    public async Task A_host_killed_mid_run_and_restarted_leaves_exactly_one_result_per_image()
    {
        var etags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, i) in Uploads.Take(40).Select((p, i) => (p, i)))
        {
            etags[$"crash/{i:D2}.jpg"] = await stack.UploadAsync($"crash/{i:D2}.jpg", File.ReadAllBytes(path));
        }

        // Let it start, then kill it in the middle of the run.
        await stack.WaitForResultsAsync(new Dictionary<string, string> { [etags.Keys.First()] = etags.Values.First() }, Patience);
        stack.KillHost();
        var beforeRestart = await stack.WaitForResultsAsync(etags, TimeSpan.Zero);
        stack.StartHost();

        // Messages the killed host had taken stay invisible until the trigger engine's 10-minute lease ends;
        // the reconcile sweep (every 20 s here) captions their images before that, and the late copies dedupe.
        var results = await stack.WaitForResultsAsync(etags, Patience);

        Assert.True(beforeRestart.Count < etags.Count, $"all {beforeRestart.Count} were done before the kill");
        Assert.Equal(etags.Count, results.Count);
        Assert.All(results.Values, result => Assert.Equal(CaptionResult.Succeeded, result.Status));
        var blobs = new List<string>();
        await foreach (var blob in stack.Storage.Container(stack.Storage.Names.CaptionsContainer).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "crash/", default))
        {
            blobs.Add(blob.Name);
        }

        Assert.Equal(etags.Keys.Select(name => stack.Results.Names.For("images", name)).Order(StringComparer.Ordinal), blobs.Order(StringComparer.Ordinal));
        foreach (var (name, before) in beforeRestart)
        {
            Assert.Equal(before.Caption, results[name].Caption);
            Assert.Equal(before.Time, results[name].Time);
        }
    }

    [Fact]
    public async Task A_bulk_request_over_500_existing_blobs_completes_with_correct_counts()
    {
        var archive = stack.Storage.Container("archive");
        await archive.CreateIfNotExistsAsync();
        var images = Directory.GetFiles(Path.Combine(RepositoryPaths.Flickr8k, "images"), "*.jpg").Order(StringComparer.Ordinal).Take(500).ToList();
        await Parallel.ForEachAsync(images, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (path, _) =>
            await stack.UploadAsync("old/" + Path.GetFileName(path), File.ReadAllBytes(path), archive));
        await stack.UploadAsync("old/zz-broken.jpg", File.ReadAllBytes(Fixture("truncated.jpg")), archive);
        await stack.UploadAsync("other/not-listed.jpg", File.ReadAllBytes(images[0]), archive);

        var response = await stack.Http.PostAsJsonAsync("/api/bulk", new { container = "archive", prefix = "old/" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var statusUrl = accepted.GetProperty("statusUrl").GetString()!;

        var status = await WaitForBulkAsync(statusUrl, TimeSpan.FromMinutes(5));

        Assert.True(status.GetProperty("completed").GetBoolean(), status.ToString());
        Assert.Equal(501, status.GetProperty("total").GetInt64());
        Assert.Equal(500, status.GetProperty("done").GetInt64());
        Assert.Equal(1, status.GetProperty("failed").GetInt64());
        Assert.Equal(0, status.GetProperty("skipped").GetInt64());
        Assert.Null(await stack.Results.GetAsync("archive", "other/not-listed.jpg"));
        Assert.NotNull(await stack.Results.GetAsync("archive", "old/" + Path.GetFileName(images[0])));
        Assert.Null(await stack.Results.GetAsync("images", "old/" + Path.GetFileName(images[0])));
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Http.GetAsync("/api/bulk/unknown-id")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await stack.Http.PostAsync("/api/bulk", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task A_bulk_job_with_words_to_begin_with_captions_every_image_starting_with_them_and_an_unknown_word_is_refused_at_once()
    {
        var archive = stack.Storage.Container("archive");
        await archive.CreateIfNotExistsAsync();
        var images = Directory.GetFiles(Path.Combine(RepositoryPaths.Flickr8k, "images"), "*.jpg").Order(StringComparer.Ordinal).Skip(600).Take(4).ToList();
        foreach (var path in images)
        {
            await stack.UploadAsync("begun/" + Path.GetFileName(path), File.ReadAllBytes(path), archive);
        }

        var response = await stack.Http.PostAsJsonAsync("/api/bulk", new { container = "archive", prefix = "begun/", decoding = new { mode = "beam", beam = 3, beginWith = "two dogs" } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var statusUrl = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("statusUrl").GetString()!;
        var status = await WaitForBulkAsync(statusUrl, TimeSpan.FromMinutes(2));

        Assert.True(status.GetProperty("completed").GetBoolean(), status.ToString());
        Assert.Equal(images.Count, status.GetProperty("done").GetInt64());
        foreach (var path in images)
        {
            var result = await stack.Results.GetAsync("archive", "begun/" + Path.GetFileName(path));
            Assert.NotNull(result);
            Assert.StartsWith("two dogs ", result.Caption, StringComparison.Ordinal);
        }

        // The model is served now (it captioned the job), so a word it does not know is refused before any work.
        var refused = await stack.Http.PostAsJsonAsync("/api/bulk", new { container = "archive", prefix = "begun/", decoding = new { beginWith = "a qwxzv" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("'qwxzv' is not a word this model knows", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The stack starts on the attention default; the version swapped in is the show-and-tell model: both kinds caption through the pipeline.</summary>
    [Fact]
    public async Task A_new_model_version_of_the_other_decoder_kind_published_while_captioning_is_picked_up_without_a_restart()
    {
        var process = stack.HostProcessId;
        var first = new Dictionary<string, string> { ["swap/before.jpg"] = await stack.UploadAsync("swap/before.jpg", File.ReadAllBytes(Uploads[5])) };
        var before = (await stack.WaitForResultsAsync(first, Patience))["swap/before.jpg"];

        var copy = Directory.CreateTempSubdirectory("captioner-v2-").FullName;
        foreach (var file in Directory.GetFiles(RepositoryPaths.ShowAndTellModel))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var manifestPath = Path.Combine(copy, Core.Models.ModelFiles.Manifest);
        var manifest = Core.Models.ModelFiles.Deserialize(File.ReadAllBytes(manifestPath));
        Assert.Equal(Core.Models.DecoderKinds.ShowAndTell, manifest.Decoder.Kind);
        File.WriteAllBytes(manifestPath, Core.Models.ModelFiles.Serialize(manifest with { Version = "e2e-v2" }));
        await stack.Models.PublishAsync(copy, makeCurrent: true);
        Directory.Delete(copy, recursive: true);

        // Keep uploading while the workers notice the pointer (polled every 2 s here, 30 s by default).
        CaptionResult? after = null;
        for (var i = 0; i < 60 && after?.ModelVersion != "e2e-v2"; i++)
        {
            var name = $"swap/after-{i}.jpg";
            var etag = await stack.UploadAsync(name, File.ReadAllBytes(Uploads[6 + (i % 10)]));
            after = (await stack.WaitForResultsAsync(new Dictionary<string, string> { [name] = etag }, Patience))[name];
        }

        Assert.NotEqual("e2e-v2", before.ModelVersion);
        Assert.Matches("^[a-z]+( [a-z0-9]+){2,}$", before.Caption);
        Assert.Equal(before.Caption!.Split(' ').Length, before.Attention!.Count);
        Assert.All(before.Attention, weights => Assert.InRange(weights.Sum(), 0.01, 1.03)); // an adaptive default gives part of a word to its sentinel
        Assert.Equal("e2e-v2", after?.ModelVersion);
        Assert.Matches("^[a-z]+( [a-z0-9]+){2,}$", after!.Caption);
        Assert.Null(after.Attention);
        Assert.Equal(process, stack.HostProcessId);
    }

    /// <summary>Polls a bulk job's status until it completes or <paramref name="timeout"/> passes; returns the last status.</summary>
    private async Task<JsonElement> WaitForBulkAsync(string statusUrl, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var status = JsonDocument.Parse(await stack.Http.GetStringAsync(statusUrl)).RootElement;
            if (status.GetProperty("completed").GetBoolean() || clock.Elapsed > timeout)
            {
                return status;
            }

            await Task.Delay(500);
        }
    }
}
