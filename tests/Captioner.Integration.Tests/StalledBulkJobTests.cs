using Captioner.Core.Messages;

namespace Captioner.Integration.Tests;

/// <summary>A bulk job whose lister died holding its page message, against Azurite.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class StalledBulkJobTests(AzuriteFixture azurite) : IDisposable
{
    private readonly PipelineHarness _pipeline = new(azurite);

    [Fact]
    public async Task A_job_whose_page_message_was_lost_is_resumed_and_counts_exactly()
    {
        _pipeline.Options.BulkPageSize = 3;
        _pipeline.Options.BulkStallTimeout = TimeSpan.Zero;
        var photos = Directory.GetFiles(PipelineHarness.Uploads, "*.jpg").Order(StringComparer.Ordinal).Take(7).ToList();
        foreach (var photo in photos)
        {
            await _pipeline.UploadAsync("stall/" + Path.GetFileName(photo), File.ReadAllBytes(photo));
        }

        await _pipeline.Lister.StartAsync(new BulkRequestMessage { Id = "job-stall", Container = _pipeline.Names.ImagesContainer, Prefix = "stall/" });

        // The first page is listed; the lister that took the second page dies with it (its message gone for the lease).
        var queue = _pipeline.Storage.Queue(_pipeline.Names.BulkRequestsQueue);
        var first = (await queue.ReceiveMessageAsync()).Value;
        await _pipeline.Lister.HandleAsync(first.Body.ToString());
        await queue.DeleteMessageAsync(first.MessageId, first.PopReceipt);
        await queue.ClearMessagesAsync();
        await _pipeline.PumpAsync();
        Assert.False((await _pipeline.Bulk.GetAsync("job-stall"))!.Completed);

        var resumed = await _pipeline.Lister.ResumeStalledAsync();
        await _pipeline.PumpAsync();

        var status = await _pipeline.Bulk.GetAsync("job-stall");
        Assert.Equal(1, resumed);
        Assert.Equal((7L, 7L, 0L, 0L, true), (status!.Total, status.Done, status.Skipped, status.Failed, status.Completed));
        Assert.Equal(0, await _pipeline.Lister.ResumeStalledAsync());
    }

    [Fact]
    public async Task A_job_that_is_making_progress_is_not_resumed()
    {
        _pipeline.Options.BulkStallTimeout = TimeSpan.FromMinutes(3);
        await _pipeline.UploadAsync("busy/a.jpg", File.ReadAllBytes(Directory.GetFiles(PipelineHarness.Uploads, "*.jpg").Order(StringComparer.Ordinal).First()));
        await _pipeline.Lister.StartAsync(new BulkRequestMessage { Id = "job-busy", Container = _pipeline.Names.ImagesContainer, Prefix = "busy/" });

        Assert.Equal(0, await _pipeline.Lister.ResumeStalledAsync("job-busy"));
        await _pipeline.PumpAsync();
        Assert.True((await _pipeline.Bulk.GetAsync("job-busy"))!.Completed);
    }

    public void Dispose() => _pipeline.Dispose();
}
