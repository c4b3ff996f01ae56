using Captioner.Core.Batching;
using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.Core.Messages;
using Captioner.Core.Models;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Captioner.Integration.Tests;

/// <summary>
/// The pipeline's handlers wired to one Azurite with their own container, queue and table names,
/// and a pump that drains the queues through them, as the trigger engine would.
/// </summary>
internal sealed class PipelineHarness : IDisposable
{
    /// <summary>Original-resolution photos of the shared data set.</summary>
    internal static readonly string Uploads = Path.GetFullPath(Path.Combine(AzuriteFixture.RepositoryRoot(), "..", "shared", "data", "flickr8k", "uploads"));

    /// <summary>The hostile files beside the tests (truncated, not an image, a decompression bomb...).</summary>
    internal static readonly string BadImages = Path.Combine(AppContext.BaseDirectory, "TestData", "images");

    internal static readonly Lazy<FeatureExtractor> SharedExtractor = new(() => new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = false }));

    public PipelineHarness(AzuriteFixture azurite, PipelineOptions? options = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        Names = new StorageNames
        {
            ImagesContainer = "images-" + suffix,
            CaptionsContainer = "captions-" + suffix,
            ModelsContainer = "models-" + suffix,
            ImageEventsQueue = "image-events-" + suffix,
            FeaturesQueue = "features-" + suffix,
            CaptionRequestsQueue = "caption-requests-" + suffix,
            BulkRequestsQueue = "bulk-requests-" + suffix,
            BulkJobsTable = "bulk" + suffix,
        };
        Storage = azurite.CreateClients(Names);
        Options = options ?? new PipelineOptions();
        var wrapped = Microsoft.Extensions.Options.Options.Create(Options);
        Store = new ModelStore(Storage.Container(Names.ModelsContainer));
        Store.PublishAsync(Path.Combine(AppContext.BaseDirectory, "models", "default"), makeCurrent: true).GetAwaiter().GetResult();
        Models = new ModelRegistry(Store, NullLogger<ModelRegistry>.Instance);
        Models.RefreshAsync().GetAwaiter().GetResult();
        Results = new ResultStore(Storage.Container(Names.CaptionsContainer));
        Bulk = new BulkProgress(Storage);
        var poison = new PoisonMessages(Storage);
        Encoder = new EncoderBatcher(new ImagePreprocessor(Options.Limits), SharedExtractor.Value, Options.Batching.EncoderSettings(cuda: false));
        Decoder = new CaptionBatcher(Models, Options.Batching.DecoderSettings(cuda: false));
        Captions = new CaptionHandler(Storage, Models, Decoder, Results, poison, wrapped, NullLogger<CaptionHandler>.Instance);
        Ingest = new ImageIngestHandler(Storage, Encoder, Results, new FeaturesQueueSink(Storage), new DecoderSink(Captions), Bulk, poison, wrapped, NullLogger<ImageIngestHandler>.Instance);
        Lister = new BulkLister(Storage, Bulk, poison, Results, wrapped);
    }

    public StorageNames Names { get; }

    public StorageClients Storage { get; }

    public PipelineOptions Options { get; }

    public ModelStore Store { get; }

    public ModelRegistry Models { get; }

    public ResultStore Results { get; }

    public BulkProgress Bulk { get; }

    public EncoderBatcher Encoder { get; }

    public CaptionBatcher Decoder { get; }

    public ImageIngestHandler Ingest { get; }

    public CaptionHandler Captions { get; }

    public BulkLister Lister { get; }

    public async Task UploadAsync(string name, byte[] content) =>
        await Storage.Container(Names.ImagesContainer).GetBlobClient(name).UploadAsync(new BinaryData(content), overwrite: true);

    /// <summary>Handles queued messages until every queue is empty; returns how many were handled.</summary>
    public async Task<int> PumpAsync()
    {
        var handled = 0;
        while (true)
        {
            var round = 0;
            round += await DrainAsync(Names.ImageEventsQueue, text => Ingest.HandleBlobEventAsync(text));
            round += await DrainAsync(Names.BulkRequestsQueue, text => Lister.HandleAsync(text));
            round += await DrainAsync(Names.CaptionRequestsQueue, text => Ingest.HandleRequestAsync(text));
            round += await DrainAsync(Names.FeaturesQueue, text => Captions.HandleAsync(text));
            if (round == 0)
            {
                return handled;
            }

            handled += round;
        }
    }

    /// <summary>The raw texts waiting in a queue (not removed).</summary>
    public async Task<List<string>> PeekAsync(string queue)
    {
        var messages = await Storage.Queue(queue).PeekMessagesAsync(32);
        return [.. messages.Value.Select(m => m.Body.ToString())];
    }

    public void Dispose()
    {
        Ingest.Dispose();
        Encoder.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Decoder.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Bulk.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Models.Dispose();
    }

    private async Task<int> DrainAsync(string queue, Func<string, Task> handle)
    {
        var client = Storage.Queue(queue);
        var count = 0;
        while (true)
        {
            var batch = (await client.ReceiveMessagesAsync(16)).Value;
            if (batch.Length == 0)
            {
                return count;
            }

            // Concurrently, as the trigger engine runs a batch of messages (so the batchers see them together).
            await Task.WhenAll(batch.Select(async message =>
            {
                await handle(message.Body.ToString());
                await client.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }));
            count += batch.Length;
        }
    }
}
