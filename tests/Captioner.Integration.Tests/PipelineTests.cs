using Captioner.Core.Batching;
using Captioner.Core.Messages;
using Captioner.Core.Pipeline;

namespace Captioner.Integration.Tests;

/// <summary>The captioning handlers end to end against Azurite, drained by a test pump.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineTests : IDisposable
{
    private static readonly string Uploads = PipelineHarness.Uploads;
    private static readonly string BadImages = PipelineHarness.BadImages;
    private readonly PipelineHarness _pipeline;

    public PipelineTests(AzuriteFixture azurite)
    {
        _pipeline = new PipelineHarness(azurite);
    }

    [Fact]
    public async Task Uploaded_photos_get_one_caption_each_and_bad_inputs_one_clear_failure_each()
    {
        var photos = Directory.GetFiles(Uploads, "*.jpg").Order(StringComparer.Ordinal).Take(6).ToList();
        var names = new List<string>();
        foreach (var (photo, i) in photos.Select((p, i) => (p, i)))
        {
            var name = i % 2 == 0 ? $"holiday/day {i}/{Path.GetFileName(photo)}" : $"été/{Path.GetFileName(photo)}";
            await _pipeline.UploadAsync(name, File.ReadAllBytes(photo));
            names.Add(name);
        }

        var bad = new Dictionary<string, string>
        {
            ["bad/truncated.jpg"] = "Truncated",
            ["bad/notes.jpg"] = "NotAnImage",
            ["bad/bomb.png"] = "TooManyPixels",
            ["bad/tiny.png"] = "TooSmall",
            ["bad/icon.ico"] = "UnsupportedFormat",
        };
        await _pipeline.UploadAsync("bad/truncated.jpg", File.ReadAllBytes(Path.Combine(BadImages, "truncated.jpg")));
        await _pipeline.UploadAsync("bad/notes.jpg", File.ReadAllBytes(Path.Combine(BadImages, "notes.txt")));
        await _pipeline.UploadAsync("bad/bomb.png", File.ReadAllBytes(Path.Combine(BadImages, "bomb.png")));
        await _pipeline.UploadAsync("bad/tiny.png", File.ReadAllBytes(Path.Combine(BadImages, "tiny.png")));
        await _pipeline.UploadAsync("bad/icon.ico", File.ReadAllBytes(Path.Combine(BadImages, "icon.ico")));

        foreach (var name in names.Concat(bad.Keys))
        {
            await _pipeline.Ingest.HandleUploadAsync(_pipeline.Names.ImagesContainer, name);
        }

        await _pipeline.PumpAsync();

        foreach (var name in names)
        {
            var result = await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, name);
            Assert.NotNull(result);
            Assert.Equal(CaptionResult.Succeeded, result.Status);
            Assert.Matches("^[a-z]+( [a-z0-9]+){2,}$", result.Caption);
            Assert.Equal(_pipeline.Models.CurrentVersion, result.ModelVersion);
            Assert.NotNull(result.ETag);
            Assert.Contains("encodeMs", result.Timings.Keys);
            Assert.Contains("captionMs", result.Timings.Keys);
        }

        foreach (var (name, reason) in bad)
        {
            var result = await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, name);
            Assert.NotNull(result);
            Assert.Equal(CaptionResult.Failed, result.Status);
            Assert.Equal(reason, result.Reason.ToString());
            Assert.False(string.IsNullOrWhiteSpace(result.Error));
        }
    }

    [Fact]
    public async Task A_duplicated_features_message_leaves_the_first_result_unchanged()
    {
        var photo = Directory.GetFiles(Uploads, "*.jpg").Order(StringComparer.Ordinal).First();
        await _pipeline.UploadAsync("dup.jpg", File.ReadAllBytes(photo));
        await _pipeline.Ingest.HandleUploadAsync(_pipeline.Names.ImagesContainer, "dup.jpg");
        await _pipeline.Ingest.HandleUploadAsync(_pipeline.Names.ImagesContainer, "dup.jpg");
        var queued = await _pipeline.PeekAsync(_pipeline.Names.FeaturesQueue);
        Assert.Equal(2, queued.Count);

        // Sampling without a seed would give a different caption each time: only the first may stand.
        var sampled = queued.Select(text => MessageCodec.Serialize(MessageCodec.ParseFeatures(text) with { Decoding = new DecodingSpec { Mode = "sample", Temperature = 3 } })).ToList();
        var first = await _pipeline.Captions.HandleAsync(sampled[0]);
        var second = await _pipeline.Captions.HandleAsync(sampled[1]);
        var third = await _pipeline.Captions.HandleAsync(sampled[0]);

        Assert.Equal(first!.Caption, second!.Caption);
        Assert.Equal(first.Caption, third!.Caption);
        Assert.Equal(first.Caption, (await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, "dup.jpg"))!.Caption);
    }

    [Fact]
    public async Task Words_to_begin_with_that_the_model_does_not_know_end_as_one_invalid_decoding_result_naming_the_word()
    {
        var photo = Directory.GetFiles(Uploads, "*.jpg").Order(StringComparer.Ordinal).Skip(3).First();
        await _pipeline.UploadAsync("begin/unknown.jpg", File.ReadAllBytes(photo));
        await _pipeline.Ingest.HandleUploadAsync(_pipeline.Names.ImagesContainer, "begin/unknown.jpg");
        var queued = Assert.Single(await _pipeline.PeekAsync(_pipeline.Names.FeaturesQueue));
        var message = MessageCodec.ParseFeatures(queued) with { Decoding = new DecodingSpec { BeginWith = "a qwxzv" } };

        var result = await _pipeline.Captions.HandleAsync(MessageCodec.Serialize(message));

        Assert.NotNull(result);
        Assert.Equal(CaptionResult.Failed, result.Status);
        Assert.Equal("InvalidDecoding", result.Reason.ToString());
        Assert.Contains("'qwxzv'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fault_while_decoding_is_thrown_for_the_queue_to_retry_and_writes_no_result()
    {
        var photo = Directory.GetFiles(Uploads, "*.jpg").Order(StringComparer.Ordinal).Skip(4).First();
        await _pipeline.UploadAsync("begin/fault.jpg", File.ReadAllBytes(photo));
        await _pipeline.Ingest.HandleUploadAsync(_pipeline.Names.ImagesContainer, "begin/fault.jpg");
        var message = MessageCodec.ParseFeatures(Assert.Single(await _pipeline.PeekAsync(_pipeline.Names.FeaturesQueue)));
        var features = MessageCodec.UnpackFeatures(message.Features, Captioner.Core.Features.EncoderIdentity.FeatureSize);
        var map = message.Map is { } packed ? MessageCodec.UnpackMap(packed) : null;

        // Features cut short stand for a bug below the settings check: the decoder throws, and nothing is recorded.
        var job = new CaptionJob(message.Image, message.Encoder, features[..3], map?[..3], message.Decoding, null, false, []);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _pipeline.Captions.CaptionAsync(job));

        Assert.Null(await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, "begin/fault.jpg"));
    }

    [Fact]
    public async Task An_unreadable_features_message_goes_to_the_poison_queue_with_its_error()
    {
        var result = await _pipeline.Captions.HandleAsync("{\"v\":9}");

        Assert.Null(result);
        var poisoned = Assert.Single(await _pipeline.PeekAsync(_pipeline.Names.FeaturesQueue + "-poison"));
        Assert.Contains("version 9", poisoned);
    }

    [Fact]
    public async Task A_blob_created_event_on_the_image_events_queue_gets_the_blob_its_caption_and_other_events_are_ignored()
    {
        var photo = Directory.GetFiles(Uploads, "*.jpg").Order(StringComparer.Ordinal).Skip(7).First();
        await _pipeline.UploadAsync("events/from grid.jpg", File.ReadAllBytes(photo));
        var events = _pipeline.Storage.Queue(_pipeline.Names.ImageEventsQueue);
        await events.SendMessageAsync(EventGridEvent("Microsoft.Storage.BlobCreated", _pipeline.Names.ImagesContainer, "events/from grid.jpg"));
        await events.SendMessageAsync(EventGridEvent("Microsoft.Storage.BlobDeleted", _pipeline.Names.ImagesContainer, "events/gone.jpg"));

        await _pipeline.PumpAsync();

        var result = await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, "events/from grid.jpg");
        Assert.Equal(CaptionResult.Succeeded, result!.Status);
        Assert.Null(await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, "events/gone.jpg"));
        Assert.Empty(await _pipeline.PeekAsync(_pipeline.Names.ImageEventsQueue + "-poison"));
    }

    [Fact]
    public async Task An_image_event_that_is_not_an_event_grid_event_goes_to_its_poison_queue()
    {
        await _pipeline.Ingest.HandleBlobEventAsync("{\"hello\": 1}");

        var poisoned = Assert.Single(await _pipeline.PeekAsync(_pipeline.Names.ImageEventsQueue + "-poison"));
        Assert.Contains("Not an Event Grid event", poisoned);
    }

    /// <summary>An event as Event Grid (Event Grid schema) writes it to a storage queue.</summary>
    private static string EventGridEvent(string type, string container, string blob) => System.Text.Json.JsonSerializer.Serialize(new
    {
        topic = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
        subject = $"/blobServices/default/containers/{container}/blobs/{blob}",
        eventType = type,
        id = Guid.NewGuid().ToString(),
        data = new { api = "PutBlob", contentType = "image/jpeg", blobType = "BlockBlob", url = $"http://127.0.0.1/devstoreaccount1/{container}/{Uri.EscapeDataString(blob)}" },
        dataVersion = string.Empty,
        metadataVersion = "1",
        eventTime = DateTimeOffset.UtcNow,
    });

    [Fact]
    public async Task An_unreadable_caption_request_goes_to_its_poison_queue_at_once()
    {
        await _pipeline.Ingest.HandleRequestAsync("{\"v\":1,\"images\":[]}");

        var poisoned = Assert.Single(await _pipeline.PeekAsync(_pipeline.Names.CaptionRequestsQueue + "-poison"));
        Assert.Contains("A caption-requests message is malformed", poisoned);
    }

    [Fact]
    public async Task The_caption_is_written_into_the_image_metadata_when_configured()
    {
        _pipeline.Options.WriteCaptionMetadata = true;
        await _pipeline.UploadAsync("meta/photo one.jpg", File.ReadAllBytes(Directory.GetFiles(Uploads, "*.jpg").Order(StringComparer.Ordinal).First()));

        await _pipeline.Ingest.HandleUploadAsync(_pipeline.Names.ImagesContainer, "meta/photo one.jpg");
        await _pipeline.PumpAsync();

        var properties = await _pipeline.Storage.Container(_pipeline.Names.ImagesContainer).GetBlobClient("meta/photo one.jpg").GetPropertiesAsync();
        var result = await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, "meta/photo one.jpg");
        Assert.Equal(result!.Caption, Uri.UnescapeDataString(properties.Value.Metadata["caption"]));
    }

    [Fact]
    public async Task Bulk_request_pages_through_blobs_and_counts_done_skipped_and_failed()
    {
        _pipeline.Options.BulkPageSize = 7;
        var photos = Directory.GetFiles(Uploads, "*.jpg").Order(StringComparer.Ordinal).Take(20).ToList();
        foreach (var photo in photos)
        {
            await _pipeline.UploadAsync("bulk/" + Path.GetFileName(photo), File.ReadAllBytes(photo));
        }

        await _pipeline.UploadAsync("bulk/zz-broken.jpg", File.ReadAllBytes(Path.Combine(BadImages, "truncated.jpg")));
        await _pipeline.UploadAsync("elsewhere/not-listed.jpg", File.ReadAllBytes(photos[0]));

        await _pipeline.Lister.StartAsync(new BulkRequestMessage { Id = "job-a", Container = _pipeline.Names.ImagesContainer, Prefix = "bulk/" });
        await _pipeline.PumpAsync();
        var first = await _pipeline.Bulk.GetAsync("job-a");

        Assert.NotNull(first);
        Assert.Equal(21, first.Total);
        Assert.Equal(20, first.Done);
        Assert.Equal(1, first.Failed);
        Assert.Equal(0, first.Skipped);
        Assert.True(first.Completed);
        Assert.Null(await _pipeline.Results.GetAsync(_pipeline.Names.ImagesContainer, "elsewhere/not-listed.jpg"));

        await _pipeline.Lister.StartAsync(new BulkRequestMessage { Id = "job-b", Container = _pipeline.Names.ImagesContainer, Prefix = "bulk/" });
        await _pipeline.PumpAsync();
        var again = await _pipeline.Bulk.GetAsync("job-b");
        Assert.Equal((21L, 0L, 21L, 0L), (again!.Total, again.Done, again.Skipped, again.Failed));

        await _pipeline.Lister.StartAsync(new BulkRequestMessage { Id = "job-c", Container = _pipeline.Names.ImagesContainer, Prefix = "bulk/", Force = true });
        await _pipeline.PumpAsync();
        var forced = await _pipeline.Bulk.GetAsync("job-c");
        Assert.Equal((21L, 20L, 0L, 1L), (forced!.Total, forced.Done, forced.Skipped, forced.Failed));
    }

    [Fact]
    public async Task A_retried_bulk_page_is_counted_once()
    {
        _pipeline.Options.BulkPageSize = 3;
        foreach (var photo in Directory.GetFiles(Uploads, "*.jpg").Order(StringComparer.Ordinal).Take(5))
        {
            await _pipeline.UploadAsync("retry/" + Path.GetFileName(photo), File.ReadAllBytes(photo));
        }

        var request = new BulkRequestMessage { Id = "job-r", Container = _pipeline.Names.ImagesContainer, Prefix = "retry/" };
        await _pipeline.Bulk.StartAsync(request.Id, request.Container, request.Prefix);
        await _pipeline.Lister.HandleAsync(request);
        await _pipeline.Lister.HandleAsync(request);
        await _pipeline.PumpAsync();

        var status = await _pipeline.Bulk.GetAsync("job-r");
        Assert.Equal((5L, 5L), (status!.Total, status.Done));
        Assert.True(status.Completed);
    }

    [Fact]
    public async Task A_bulk_job_whose_container_is_deleted_before_listing_ends_failed_with_the_reason()
    {
        var doomed = _pipeline.Storage.Container("doomed-" + Guid.NewGuid().ToString("N")[..8]);
        await doomed.CreateIfNotExistsAsync();
        await _pipeline.Lister.StartAsync(new BulkRequestMessage { Id = "job-doomed", Container = doomed.Name });
        await doomed.DeleteAsync();

        await _pipeline.PumpAsync();

        var status = await _pipeline.Bulk.GetAsync("job-doomed");
        Assert.True(status!.Completed);
        Assert.Contains("ContainerNotFound", status.Error, StringComparison.Ordinal);
        Assert.Empty(await _pipeline.PeekAsync(_pipeline.Names.BulkRequestsQueue + "-poison"));
    }

    [Fact]
    public async Task A_bulk_request_for_a_container_that_does_not_exist_is_refused_before_it_starts()
    {
        await Assert.ThrowsAsync<UnknownContainerException>(() => _pipeline.Lister.StartAsync(new BulkRequestMessage { Id = "job-none", Container = "nosuch" }));

        Assert.Null(await _pipeline.Bulk.GetAsync("job-none"));
    }

    [Fact]
    public async Task Poison_messages_are_listed_with_their_errors_and_replayed_to_their_queue_except_those_stored_truncated()
    {
        var features = _pipeline.Names.FeaturesQueue;
        var poison = new PoisonMessages(_pipeline.Storage);
        await poison.PoisonAsync(features, "{\"v\": 99}", "Unknown message version 99.", CancellationToken.None);
        await _pipeline.Storage.Queue(features + "-poison").SendMessageAsync("engine gave up on this");
        await poison.PoisonAsync(features, new string('x', 40_000), "Too long to keep.", CancellationToken.None);
        var queues = new PoisonMessages(_pipeline.Storage);

        var listed = await queues.ListAsync(features);
        var (replayed, kept) = await queues.ReplayAsync(features, 100);

        Assert.Equal(["Unknown message version 99.", PoisonMessages.NoRecordedError, "Too long to keep."], listed.Select(m => m.Error));
        Assert.Equal([false, false, true], listed.Select(m => m.Truncated));
        Assert.Equal((2, 1), (replayed, kept));
        Assert.Equal(["{\"v\": 99}", "engine gave up on this"], (await _pipeline.PeekAsync(features)).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(1, (await _pipeline.Storage.Queue(features + "-poison").GetPropertiesAsync()).Value.ApproximateMessagesCount);
        await Assert.ThrowsAsync<ArgumentException>(() => queues.ListAsync("nosuch"));
    }

    [Fact]
    public async Task Finished_bulk_jobs_past_retention_are_deleted_and_running_ones_kept()
    {
        await _pipeline.Bulk.StartAsync("job-old", _pipeline.Names.ImagesContainer, "old/");
        await _pipeline.Bulk.RecordPageAsync("job-old", 0, 2, 0, last: true);
        await _pipeline.Bulk.RecordAsync("job-old", "old/a.jpg", BulkItemStatus.Done);
        await _pipeline.Bulk.RecordAsync("job-old", "old/b.jpg", BulkItemStatus.Failed);
        await _pipeline.Bulk.StartAsync("job-running", _pipeline.Names.ImagesContainer, "new/");
        await _pipeline.Bulk.RecordPageAsync("job-running", 0, 2, 0, last: true);
        await _pipeline.Bulk.RecordAsync("job-running", "new/a.jpg", BulkItemStatus.Done);

        Assert.Equal(0, await _pipeline.Bulk.DeleteFinishedBeforeAsync(DateTimeOffset.UtcNow.AddDays(-30)));
        Assert.Equal(1, await _pipeline.Bulk.DeleteFinishedBeforeAsync(DateTimeOffset.UtcNow.AddDays(1)));

        Assert.Null(await _pipeline.Bulk.GetAsync("job-old"));
        Assert.False((await _pipeline.Bulk.GetAsync("job-running"))!.Completed);
        var left = new List<string>();
        await foreach (var row in _pipeline.Storage.Tables.GetTableClient(_pipeline.Names.BulkJobsTable).QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "job-old"))
        {
            left.Add(row.RowKey);
        }

        Assert.Empty(left);
    }

    public void Dispose() => _pipeline.Dispose();
}
