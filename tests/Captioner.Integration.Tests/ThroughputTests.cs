using Captioner.Core;
using Captioner.Core.Batching;
using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.Core.Pipeline;
using Captioner.Core.Telemetry;
using Captioner.Evaluation.Captioning;

namespace Captioner.Integration.Tests;

/// <summary>
/// What the throughput work promises, through the real encoder and Azurite: concurrent images share
/// encoder batches, a bad image fails alone, and each upload costs three storage requests of the app's own.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class ThroughputTests : IDisposable
{
    private static readonly string Uploads = PipelineHarness.Uploads;
    private static readonly string BadImages = PipelineHarness.BadImages;
    private readonly PipelineHarness _pipeline;
    private readonly MetricsAggregator _metrics = new();

    public ThroughputTests(AzuriteFixture azurite)
    {
        _pipeline = new PipelineHarness(azurite);
    }

    [Fact]
    public async Task Concurrent_images_share_one_encoder_batch_and_a_corrupt_one_fails_alone_with_the_others_features_unchanged()
    {
        var photos = Directory.GetFiles(Uploads, "*.jpg").Order(StringComparer.Ordinal).Take(7).Select(File.ReadAllBytes).ToList();
        var corrupt = File.ReadAllBytes(Path.Combine(BadImages, "truncated.jpg"));
        var extractor = PipelineHarness.SharedExtractor.Value;
        var expected = new ImageFeaturizer(new ImagePreprocessor(), extractor).Featurize(photos.Count, i => photos[i]);
        await using var encoder = new EncoderBatcher(new ImagePreprocessor(), extractor, new BatchSettings(photos.Count, TimeSpan.FromMinutes(1)));
        var before = Stage(_metrics.Snapshot(), "encoder");

        var results = await Task.WhenAll(photos.Append(corrupt).Select(image => Task.Run(() => encoder.EncodeAsync(image))));

        var after = Stage(_metrics.Snapshot(), "encoder");
        Assert.Equal((1L, 7L), (after.Batches - before.Batches, after.Items - before.Items));
        Assert.Equal(FailureReason.Truncated, results[^1].Reason);
        for (var i = 0; i < photos.Count; i++)
        {
            Assert.True(results[i].Succeeded);
            Assert.Equal(expected[i].Features!, results[i].Features!, (a, b) => Math.Abs(a - b) <= 1e-3f);
        }
    }

    [Fact]
    public async Task An_upload_costs_three_storage_requests_one_read_one_queue_message_and_one_result_write()
    {
        var photos = Directory.GetFiles(Uploads, "*.jpg").Order(StringComparer.Ordinal).Take(8).ToList();
        var names = photos.Select(p => "cost/" + Path.GetFileName(p)).ToList();
        for (var i = 0; i < photos.Count; i++)
        {
            await _pipeline.UploadAsync(names[i], File.ReadAllBytes(photos[i]));
        }

        var beforeIngest = _metrics.Snapshot();
        await Task.WhenAll(names.Select(name => _pipeline.Ingest.HandleUploadAsync(_pipeline.Names.ImagesContainer, name)));
        var afterIngest = _metrics.Snapshot();
        var messages = (await _pipeline.Storage.Queue(_pipeline.Names.FeaturesQueue).ReceiveMessagesAsync(32)).Value;
        var beforeCaption = _metrics.Snapshot();
        await Task.WhenAll(messages.Select(m => _pipeline.Captions.HandleAsync(m.Body.ToString())));
        var afterCaption = _metrics.Snapshot();

        Assert.Equal(8, messages.Length);
        Assert.Equal(new Dictionary<string, long> { ["blob.get"] = 8, ["queue.post"] = 8 }, Delta(beforeIngest, afterIngest));
        Assert.Equal(new Dictionary<string, long> { ["blob.put"] = 8 }, Delta(beforeCaption, afterCaption));
        Assert.Equal(8, afterCaption.ResultsWritten.GetValueOrDefault(CaptionResult.Succeeded) - beforeCaption.ResultsWritten.GetValueOrDefault(CaptionResult.Succeeded));
        var unsure = 0;
        foreach (var name in names)
        {
            var result = (await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, name))!;
            Assert.Equal(CaptionResult.Succeeded, result.Status);
            Assert.NotNull(result.Confidence);
            unsure += result.Unsure == true ? 1 : 0;
        }

        // Scoring the captions asked storage for nothing (the puts above are the results); the metrics count the unsure ones.
        Assert.Equal(unsure, afterCaption.ResultsWritten.GetValueOrDefault("unsure") - beforeCaption.ResultsWritten.GetValueOrDefault("unsure"));
    }

    [Fact]
    public async Task A_forced_bulk_image_is_captioned_in_its_ingest_worker_and_a_local_file_by_the_command_line_with_the_caption_the_features_queue_gives()
    {
        var photos = Directory.GetFiles(Uploads, "*.jpg").Order(StringComparer.Ordinal).Take(8).ToList();
        var names = photos.Select(p => "fused/" + Path.GetFileName(p)).ToList();
        for (var i = 0; i < photos.Count; i++)
        {
            await _pipeline.UploadAsync(names[i], File.ReadAllBytes(photos[i]));
        }

        await Task.WhenAll(names.Select(name => _pipeline.Ingest.HandleUploadAsync(_pipeline.Names.ImagesContainer, name)));
        await _pipeline.PumpAsync();
        var queued = new Dictionary<string, string?>();
        foreach (var name in names)
        {
            queued[name] = (await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, name))!.Caption;
        }

        await _pipeline.Bulk.StartAsync("job-fused", _pipeline.Names.ImagesContainer, "fused/");
        var images = new List<Captioner.Core.Messages.ImageReference>();
        await foreach (var blob in _pipeline.Storage.Container(_pipeline.Names.ImagesContainer).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "fused/", default))
        {
            images.Add(new(_pipeline.Names.ImagesContainer, blob.Name, blob.Properties.ETag?.ToString()));
        }

        var before = _metrics.Snapshot();
        var outcomes = await _pipeline.Ingest.HandleRequestAsync(new Captioner.Core.Messages.CaptionRequestMessage { BulkId = "job-fused", Images = images, Force = true });
        var after = _metrics.Snapshot();

        Assert.All(outcomes, outcome => Assert.Contains(outcome, new[] { IngestOutcome.Captioned, IngestOutcome.CaptionedUnsure }));
        Assert.Empty(await _pipeline.PeekAsync(_pipeline.Names.FeaturesQueue));
        var requests = Delta(before, after);
        Assert.Equal((16L, 8L), (requests["blob.get"], requests["blob.put"])); // each: its image, the result a forced write reads first, the result
        Assert.False(requests.ContainsKey("queue.post"));
        foreach (var name in names)
        {
            var result = (await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, name))!;
            Assert.Equal(("job-fused", queued[name]), (result.BulkId, result.Caption));
        }

        // The third path: the command line's captioner of local files, in its own batches of the same encoder.
        using var captioner = ImageCaptioner.Open(Path.Combine(AppContext.BaseDirectory, "models", "default"), new FeatureExtractorOptions { PreferCuda = false });
        var local = captioner.CaptionFiles(photos, _pipeline.Options.Decoding.ToOptions()).Select(outcome => outcome.Caption?.Caption).ToList();
        Assert.Equal(names.Select(name => queued[name]), local);
    }

    [Fact]
    public async Task An_image_over_the_byte_limit_fails_from_one_read_and_an_empty_blob_is_ignored()
    {
        _pipeline.Options.Limits.MaxBytes = 20_000;
        var photo = File.ReadAllBytes(Directory.GetFiles(Uploads, "*.jpg").Order(StringComparer.Ordinal).First());
        await _pipeline.UploadAsync("limit/big.jpg", photo);
        await _pipeline.UploadAsync("limit/empty.jpg", []);

        var before = _metrics.Snapshot();
        var big = await _pipeline.Ingest.HandleUploadAsync(_pipeline.Names.ImagesContainer, "limit/big.jpg");
        var empty = await _pipeline.Ingest.HandleUploadAsync(_pipeline.Names.ImagesContainer, "limit/empty.jpg");

        Assert.Equal((IngestOutcome.Failed, IngestOutcome.Ignored), (big, empty));
        Assert.Equal(new Dictionary<string, long> { ["blob.get"] = 2, ["blob.put"] = 1 }, Delta(before, _metrics.Snapshot()));
        var result = await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, "limit/big.jpg");
        Assert.Equal((CaptionResult.Failed, "TooLarge"), (result!.Status, result.Reason.ToString()));
        Assert.Null(await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, "limit/empty.jpg"));
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _pipeline.Dispose();
    }

    private static BatchStageSnapshot Stage(MetricsSnapshot snapshot, string stage) =>
        snapshot.Batches.GetValueOrDefault(stage) ?? new BatchStageSnapshot(0, 0, 0, new Dictionary<string, long>(), 0, 0);

    private static Dictionary<string, long> Delta(MetricsSnapshot before, MetricsSnapshot after) =>
        after.StorageRequests
            .Select(r => (r.Key, Count: r.Value - before.StorageRequests.GetValueOrDefault(r.Key)))
            .Where(r => r.Count != 0)
            .ToDictionary(r => r.Key, r => r.Count);
}
