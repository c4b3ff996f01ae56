using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Captioner.Core.Storage;

/// <summary>
/// The storage clients the handlers use. Hosts build the service clients from configuration
/// (a connection string for Azurite, or service URIs with a managed identity in Azure); queue
/// messages are base64 as the Functions queue trigger expects.
/// </summary>
public sealed class StorageClients
{
    public StorageClients(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables, StorageNames names)
    {
        Blobs = blobs;
        Queues = queues;
        Tables = tables;
        Names = names;
    }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public TableServiceClient Tables { get; }

    public StorageNames Names { get; }

    /// <summary>Options for blob clients: retries as <paramref name="transport"/> says; requests counted.</summary>
    public static BlobClientOptions BlobOptions(StorageTransportOptions? transport = null) => Configure(new BlobClientOptions(), "blob", transport);

    /// <summary>Options for queue clients: base64 messages, as the Functions queue trigger reads them; retries; requests counted.</summary>
    public static QueueClientOptions QueueOptions(StorageTransportOptions? transport = null) => Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, "queue", transport);

    /// <summary>Options for table clients: retries; requests counted.</summary>
    public static TableClientOptions TableOptions(StorageTransportOptions? transport = null) => Configure(new TableClientOptions(), "table", transport);

    /// <summary>Clients for a connection string (Azurite or an account key; for local use).</summary>
    public static StorageClients FromConnectionString(string connectionString, StorageNames? names = null, StorageTransportOptions? transport = null) =>
        new(
            new BlobServiceClient(connectionString, BlobOptions(transport)),
            new QueueServiceClient(connectionString, QueueOptions(transport)),
            new TableServiceClient(connectionString, TableOptions(transport)),
            names ?? new StorageNames());

    /// <summary>Clients signed in with <paramref name="credential"/> (Entra ID; the way into an account with shared keys off).</summary>
    public static StorageClients FromEndpoints(StorageEndpoints endpoints, TokenCredential credential, StorageNames? names = null, StorageTransportOptions? transport = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return new(
            new BlobServiceClient(endpoints.Blob, credential, BlobOptions(transport)),
            new QueueServiceClient(endpoints.Queue, credential, QueueOptions(transport)),
            new TableServiceClient(endpoints.Table, credential, TableOptions(transport)),
            names ?? new StorageNames());
    }

    private static T Configure<T>(T options, string service, StorageTransportOptions? transport)
        where T : Azure.Core.ClientOptions =>
        Counted((transport ?? new StorageTransportOptions()).Apply(options), service);

    private static T Counted<T>(T options, string service)
        where T : Azure.Core.ClientOptions
    {
        options.AddPolicy(new StorageRequestCounter(service), Azure.Core.HttpPipelinePosition.PerRetry);
        return options;
    }

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    /// <summary>Creates every container, queue (with its poison queue) and table that is missing.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var container in new[] { Names.ImagesContainer, Names.CaptionsContainer, Names.ModelsContainer, Names.TrainingContainer, Names.ThumbnailsContainer })
        {
            await Container(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var queue in Names.PipelineQueues)
        {
            await Queue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await Queue(queue + "-poison").CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await Tables.GetTableClient(Names.BulkJobsTable).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }
}
