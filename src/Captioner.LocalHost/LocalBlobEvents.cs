using Azure;
using Azure.Storage.Blobs.Models;
using Captioner.Core.Messages;
using Captioner.Core.Resilience;
using Captioner.Core.Storage;
using Captioner.Hosting;

namespace Captioner.LocalHost;

/// <summary>
/// Stands in for Event Grid on the local host: lists <c>images</c> and writes a blob-created
/// event to <c>image-events</c> for each blob created or changed since the last listing, exactly as the
/// Event Grid subscription does in Azure, so uploads take the same queue-triggered path in both hosts.
/// A checkpoint (the newest last-modified time published) survives restarts: blobs uploaded while the host
/// was down are published when it starts. Events are written before the checkpoint moves, so a crash
/// repeats events (the pipeline dedupes them) and never skips one; the reconcile sweep remains the net.
/// A listing costs a request per 5,000 blobs, so it runs every second only while blobs keep arriving (or right
/// after an upload through the API), and at <c>Captioner:LocalHost:IdleEventPollInterval</c> (default 10 s) when
/// nothing has changed for a while: an idle stack over a large container stays idle.
/// </summary>
internal sealed class LocalBlobEvents(StorageClients storage, UploadSignal uploads, IConfiguration configuration, ILogger<LocalBlobEvents> logger) : BackgroundService
{
    private const string CheckpointContainer = "local-host";
    private const string CheckpointBlob = "blob-events-checkpoint.txt";
    private static readonly TimeSpan BusyInterval = TimeSpan.FromSeconds(1);

    // Listings at the busy pace after the last one that found something.
    private const int BusyRounds = 30;

    // Blobs listed late (committed just before a listing that already saw newer ones) are caught by
    // re-listing this far behind the checkpoint; what was published in that window is remembered.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, (ETag ETag, DateTimeOffset Modified)> _recent = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = configuration.GetValue("Captioner:LocalHost:IdleEventPollInterval", TimeSpan.FromSeconds(10));
        var checkpoint = storage.Container(CheckpointContainer).GetBlobClient(CheckpointBlob);
        DateTimeOffset? watermark = null;
        var quietRounds = 0;
        await PeriodicWork.RunAsync(
            async token =>
            {
                var before = watermark;
                watermark = await PublishNewBlobsAsync(checkpoint, watermark ?? await LoadAsync(checkpoint, token), token);
                quietRounds = watermark != before ? 0 : quietRounds + 1;
                return quietRounds < BusyRounds ? BusyInterval : idle;
            },
            // Busy: a listing a second at most, however many uploads arrive. Idle: an upload wakes the next listing.
            (delay, token) => delay <= BusyInterval ? Task.Delay(delay, token) : uploads.WaitAsync(delay, token),
            BusyInterval,
            logger.BlobListingFailed,
            stoppingToken);
    }

    private async Task<DateTimeOffset> PublishNewBlobsAsync(Azure.Storage.Blobs.BlobClient checkpoint, DateTimeOffset watermark, CancellationToken cancellationToken)
    {
        var fresh = new List<BlobItem>();
        await foreach (var blob in storage.Container(storage.Names.ImagesContainer).GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken))
        {
            var modified = blob.Properties.LastModified ?? DateTimeOffset.MaxValue;
            if (modified > watermark - Overlap && !(_recent.TryGetValue(blob.Name, out var seen) && seen.ETag == blob.Properties.ETag))
            {
                fresh.Add(blob);
            }
        }

        if (fresh.Count == 0)
        {
            return watermark;
        }

        var queue = storage.Queue(storage.Names.ImageEventsQueue);
        await Parallel.ForEachAsync(fresh, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (blob, token) =>
        {
            var message = BlobCreatedEvent.Create(storage.Blobs.AccountName, storage.Names.ImagesContainer, blob.Name, blob.Properties.ETag?.ToString() ?? string.Empty, blob.Properties.ContentLength ?? 0, blob.Properties.LastModified ?? DateTimeOffset.UtcNow);
            await queue.SendMessageAsync(message, token);
        });

        foreach (var blob in fresh)
        {
            _recent[blob.Name] = (blob.Properties.ETag ?? default, blob.Properties.LastModified ?? DateTimeOffset.UtcNow);
        }

        var newest = fresh.Max(b => b.Properties.LastModified ?? watermark);
        if (newest > watermark)
        {
            watermark = newest;
            await checkpoint.UploadAsync(BinaryData.FromString(watermark.ToString("O")), overwrite: true, cancellationToken);
        }

        foreach (var old in _recent.Where(r => r.Value.Modified <= watermark - Overlap).Select(r => r.Key).ToList())
        {
            _recent.Remove(old);
        }

        logger.BlobEventsPublished(fresh.Count);
        return watermark;
    }

    private async Task<DateTimeOffset> LoadAsync(Azure.Storage.Blobs.BlobClient checkpoint, CancellationToken cancellationToken)
    {
        await storage.Container(CheckpointContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        try
        {
            var text = (await checkpoint.DownloadContentAsync(cancellationToken)).Value.Content.ToString();
            return DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return DateTimeOffset.MinValue + Overlap;
        }
    }
}
