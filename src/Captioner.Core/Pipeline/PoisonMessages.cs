using System.Text.Json;
using Captioner.Core.Messages;
using Captioner.Core.Storage;

namespace Captioner.Core.Pipeline;

/// <summary>
/// The poison queues (<c>&lt;queue&gt;-poison</c>). Unreadable messages go there at once with the error beside the
/// original text, instead of failing five times first (retrying cannot make them readable); the trigger engine
/// moves there, with no reason recorded, messages that failed five times. Operators list them and, once the cause
/// is fixed, put them back on their queue.
/// </summary>
public sealed class PoisonMessages(StorageClients storage)
{
    internal const string ErrorField = "error";
    internal const string MessageField = "message";
    internal const string TruncatedField = "truncated";

    // A queue message holds 64 KB after base64: the error and this much of the original fit.
    private const int KeptChars = 30_000;


    /// <summary>Parses <paramref name="text"/> with <paramref name="parse"/>; an unreadable message is poisoned and null returned.</summary>
    public async Task<T?> ParseOrPoisonAsync<T>(string queue, string text, Func<string, T> parse, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return parse(text);
        }
        catch (MessageFormatException ex)
        {
            await PoisonAsync(queue, text, ex.Message, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Moves <paramref name="text"/> to the queue's poison queue with <paramref name="error"/>.</summary>
    public async Task PoisonAsync(string queue, string text, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var envelope = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            [ErrorField] = error,
            [MessageField] = text.Length > KeptChars ? text[..KeptChars] : text,
            [TruncatedField] = text.Length > KeptChars,
        });
        var poison = storage.Queue(queue + "-poison");
        await poison.SendMessageAsync(envelope, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the trigger engine leaves as the reason: nothing.</summary>
    public const string NoRecordedError = "failed five times (the trigger engine records no reason; the host's log has it)";

    /// <summary>Up to 32 messages of <paramref name="queue"/>'s poison queue, oldest first, without taking them.</summary>
    public async Task<IReadOnlyList<PoisonedMessage>> ListAsync(string queue, CancellationToken cancellationToken = default)
    {
        var poison = storage.Queue(Known(queue) + "-poison");
        var peeked = (await poison.PeekMessagesAsync(32, cancellationToken).ConfigureAwait(false)).Value;
        return [.. peeked.Select(m => Read(m.MessageId, m.InsertedOn, m.Body.ToString()))];
    }

    /// <summary>
    /// Puts the messages of <paramref name="queue"/>'s poison queue back on it (at most <paramref name="max"/>); a message
    /// stored truncated stays where it is. Returns how many went back and how many stayed.
    /// </summary>
    public async Task<(int Replayed, int Kept)> ReplayAsync(string queue, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var target = storage.Queue(Known(queue));
        var poison = storage.Queue(queue + "-poison");
        var (replayed, kept) = (0, 0);
        while (replayed + kept < max)
        {
            var batch = (await poison.ReceiveMessagesAsync(Math.Min(32, max - replayed - kept), TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false)).Value;
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                var poisoned = Read(message.MessageId, message.InsertedOn, message.Body.ToString());
                if (poisoned.Truncated)
                {
                    // Left invisible for five minutes so this run does not read it again; it stays in the poison queue.
                    kept++;
                    continue;
                }

                // Sent before it is deleted: a crash in between leaves a copy in both queues, and the pipeline dedupes.
                await target.SendMessageAsync(poisoned.Text, cancellationToken).ConfigureAwait(false);
                await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                replayed++;
            }
        }

        return (replayed, kept);
    }

    private string Known(string queue) =>
        storage.Names.PipelineQueues.Contains(queue, StringComparer.Ordinal) ? queue : throw new ArgumentException($"'{queue}' is not a pipeline queue: use {string.Join(", ", storage.Names.PipelineQueues)}.");

    private static PoisonedMessage Read(string id, DateTimeOffset? inserted, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(ErrorField, out var error)
                && document.RootElement.TryGetProperty(MessageField, out var text))
            {
                var truncated = document.RootElement.TryGetProperty(TruncatedField, out var flag) && flag.ValueKind == JsonValueKind.True;
                return new PoisonedMessage(id, inserted, error.GetString() ?? string.Empty, text.GetString() ?? string.Empty, truncated);
            }
        }
        catch (JsonException)
        {
        }

        return new PoisonedMessage(id, inserted, NoRecordedError, body, Truncated: false);
    }
}

/// <summary>A message in a poison queue: its original text (as far as it was kept) and why it is there.</summary>
public sealed record PoisonedMessage(string Id, DateTimeOffset? InsertedOn, string Error, string Text, bool Truncated);
