using System.Text;
using System.Text.Json;

namespace Captioner.Core.Messages;

/// <summary>
/// A blob-created event as Event Grid writes it to the <c>image-events</c> queue (Event Grid schema, one
/// event per message): the blob is read from the subject <c>/blobServices/default/containers/{container}/blobs/{name}</c>.
/// </summary>
public sealed record BlobCreatedEvent(string EventType, ImageReference? Image)
{
    public const string BlobCreated = "Microsoft.Storage.BlobCreated";
    private const string ContainersPrefix = "/blobServices/default/containers/";
    private const string BlobsSegment = "/blobs/";

    /// <summary>Parses one event; other event types come back with no image. Unreadable text is a <see cref="MessageFormatException"/>.</summary>
    public static BlobCreatedEvent Parse(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            using var document = JsonDocument.Parse(Unwrap(message));
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                root = root.GetArrayLength() == 1 ? root[0] : throw new MessageFormatException("Expected one Event Grid event per message.");
            }

            var eventType = root.GetProperty("eventType").GetString() ?? string.Empty;
            if (eventType != BlobCreated)
            {
                return new BlobCreatedEvent(eventType, null);
            }

            var subject = root.GetProperty("subject").GetString() ?? string.Empty;
            var blobs = subject.IndexOf(BlobsSegment, StringComparison.Ordinal);
            if (!subject.StartsWith(ContainersPrefix, StringComparison.Ordinal) || blobs < 0)
            {
                throw new MessageFormatException($"The subject '{subject}' does not name a blob.");
            }

            var container = subject[ContainersPrefix.Length..blobs];
            var name = subject[(blobs + BlobsSegment.Length)..];
            return container.Length == 0 || name.Length == 0
                ? throw new MessageFormatException($"The subject '{subject}' does not name a blob.")
                : new BlobCreatedEvent(eventType, new ImageReference(container, name));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new MessageFormatException($"Not an Event Grid event: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// One blob-created event in Event Grid's schema, as Event Grid's storage-queue destination writes it
    /// (what the local host publishes in its stead).
    /// </summary>
    public static string Create(string account, string container, string name, string eTag, long contentLength, DateTimeOffset time)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", Guid.NewGuid().ToString());
            writer.WriteString("topic", $"/subscriptions/local/resourceGroups/local/providers/Microsoft.Storage/storageAccounts/{account}");
            writer.WriteString("subject", $"{ContainersPrefix}{container}{BlobsSegment}{name}");
            writer.WriteString("eventType", BlobCreated);
            writer.WriteString("eventTime", time);
            writer.WriteString("dataVersion", string.Empty);
            writer.WriteString("metadataVersion", "1");
            writer.WriteStartObject("data");
            writer.WriteString("api", "PutBlob");
            writer.WriteString("eTag", eTag);
            writer.WriteNumber("contentLength", contentLength);
            writer.WriteString("blobType", "BlockBlob");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The JSON text, also when it arrives base64-encoded once more than the queue encoding removes.</summary>
    private static string Unwrap(string message)
    {
        var trimmed = message.Trim();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            return trimmed;
        }

        var bytes = new byte[trimmed.Length];
        return Convert.TryFromBase64String(trimmed, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : trimmed;
    }
}
