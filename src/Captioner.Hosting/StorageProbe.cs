using Azure;
using Captioner.Core.Storage;

namespace Captioner.Hosting;

/// <summary>
/// Asks storage one question before a host starts its triggers, so an emulator that is not running (or a wrong
/// endpoint) is one clear line at start rather than a trigger listener's crash later.
/// </summary>
public static class StorageProbe
{
    /// <summary>Throws <see cref="StorageUnreachableException"/> when storage does not answer within <paramref name="timeout"/>.</summary>
    public static async Task CheckReachableAsync(StorageClients storage, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(storage);
        using var deadline = new CancellationTokenSource(timeout);
        var endpoint = storage.Blobs.Uri.GetLeftPart(UriPartial.Authority);
        try
        {
            await storage.Container(storage.Names.ImagesContainer).ExistsAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new StorageUnreachableException($"Storage at {endpoint} did not answer within {timeout.TotalSeconds:0} s. Is Azurite running (./scripts/start.sh starts it)?");
        }
        catch (Exception ex) when (ex is RequestFailedException { Status: 0 } or AggregateException or HttpRequestException)
        {
            throw new StorageUnreachableException($"Storage at {endpoint} cannot be reached ({(ex.InnerException ?? ex).Message.Split('\n')[0].Trim()}). Is Azurite running (./scripts/start.sh starts it)?", ex);
        }
    }
}

/// <summary>Storage did not answer at start.</summary>
public sealed class StorageUnreachableException : Exception
{
    public StorageUnreachableException()
    {
    }

    public StorageUnreachableException(string message)
        : base(message)
    {
    }

    public StorageUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
