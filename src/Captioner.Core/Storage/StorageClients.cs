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

    /// <summary>Options for blob clients: requests counted.</summary>
    public static BlobClientOptions BlobOptions() => Counted(new BlobClientOptions(), "blob");

    /// <summary>Options for queue clients: base64 messages, as the Functions queue trigger reads them; requests counted.</summary>
    public static QueueClientOptions QueueOptions() => Counted(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, "queue");

    /// <summary>Options for table clients: requests counted.</summary>
    public static TableClientOptions TableOptions() => Counted(new TableClientOptions(), "table");

    /// <summary>
    /// Clients for a connection string (Azurite or an account key; for local use). <paramref name="maxRetries"/> bounds the
    /// SDK's own retries (a command line that should say quickly that the stack is down sets it low).
    /// </summary>
    public static StorageClients FromConnectionString(string connectionString, StorageNames? names = null, int? maxRetries = null) =>
        new(
            new BlobServiceClient(connectionString, Retries(BlobOptions(), maxRetries)),
            new QueueServiceClient(connectionString, Retries(QueueOptions(), maxRetries)),
            new TableServiceClient(connectionString, Retries(TableOptions(), maxRetries)),
            names ?? new StorageNames());

    /// <summary>
    /// Clients signed in with <paramref name="credential"/> (Entra ID; the way into an account with shared keys off).
    /// <paramref name="maxRetries"/> as in <see cref="FromConnectionString"/>.
    /// </summary>
    public static StorageClients FromEndpoints(StorageEndpoints endpoints, TokenCredential credential, StorageNames? names = null, int? maxRetries = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return new(
            new BlobServiceClient(endpoints.Blob, credential, Retries(BlobOptions(), maxRetries)),
            new QueueServiceClient(endpoints.Queue, credential, Retries(QueueOptions(), maxRetries)),
            new TableServiceClient(endpoints.Table, credential, Retries(TableOptions(), maxRetries)),
            names ?? new StorageNames());
    }

    private static T Retries<T>(T options, int? maxRetries)
        where T : Azure.Core.ClientOptions
    {
        if (maxRetries is { } retries)
        {
            options.Retry.MaxRetries = retries;
        }

        return options;
    }

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
        foreach (var container in new[] { Names.ImagesContainer, Names.CaptionsContainer, Names.ModelsContainer, Names.TrainingContainer })
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
