using System.Text.Json;
using Captioner.Core.Messages;
using Captioner.Core.Resilience;
using Captioner.Core.Storage;
using Polly;

namespace Captioner.Core.Pipeline;

/// <summary>
/// Where unreadable messages go: <c>&lt;queue&gt;-poison</c>, at once and with the error beside the
/// original text, instead of failing five times first. Retrying cannot make them readable.
/// </summary>
public sealed class PoisonMessages(StorageClients storage)
{
    internal const string ErrorField = "error";
    internal const string MessageField = "message";
    internal const string TruncatedField = "truncated";

    // A queue message holds 64 KB after base64: the error and this much of the original fit.
    private const int KeptChars = 30_000;

    private readonly ResiliencePipeline _resilience = StorageResilience.Create();

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
        await _resilience.ExecuteAsync(async token => await poison.SendMessageAsync(envelope, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }
}
