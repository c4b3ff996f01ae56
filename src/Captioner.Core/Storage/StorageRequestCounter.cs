using Azure.Core;
using Azure.Core.Pipeline;
using Captioner.Core.Telemetry;

namespace Captioner.Core.Storage;

/// <summary>
/// Counts every storage request the app's clients send (each retry attempt included), by operation:
/// the service, the method and the <c>comp</c> / <c>restype</c> of the request, e.g. <c>blob.get</c>,
/// <c>blob.head</c>, <c>blob.get.list</c>, <c>queue.post</c>, <c>table.post.$batch</c>.
/// </summary>
public sealed class StorageRequestCounter(string service) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        CaptionerMetrics.RecordStorageRequest(Operation(service, message.Request.Method.Method, message.Request.Uri.Query, message.Request.Uri.Path));
    }

    /// <summary>The operation name of a request.</summary>
    internal static string Operation(string service, string method, string query, string path)
    {
        var name = $"{service}.{method.ToLowerInvariant()}";
        if (QueryValue(query, "comp") is { } comp)
        {
            return $"{name}.{comp}";
        }

        if (path.EndsWith("$batch", StringComparison.Ordinal))
        {
            return name + ".$batch";
        }

        return QueryValue(query, "restype") is { } type ? $"{name}.{type}" : name;
    }

    private static string? QueryValue(string query, string key)
    {
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part.AsSpan(0, equals).Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(part[(equals + 1)..]).ToLowerInvariant();
            }
        }

        return null;
    }
}
