using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Captioner.Chaos;

/// <summary>
/// Every result blob the host wrote successfully, as the proxy saw it go to storage (whether or not the
/// host heard back): per image, the captions written in order. More than one write is a duplicate; a
/// different caption the second time is a changed result.
/// </summary>
internal sealed class ResultWrites(string account, string captionsContainer)
{
    private readonly string _prefix = $"/{account}/{captionsContainer}/";
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string?>> _writes = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, ConcurrentQueue<string?>> ByImage => _writes;

    public void Observe(string method, PathString path, QueryString query, int status, MemoryStream body)
    {
        var value = path.Value ?? string.Empty;
        if (!HttpMethods.IsPut(method) || status != 201 || query.HasValue && query.Value!.Contains("comp=", StringComparison.Ordinal)
            || !value.StartsWith(_prefix, StringComparison.Ordinal) || !value.EndsWith(".json", StringComparison.Ordinal))
        {
            return;
        }

        var image = value[_prefix.Length..^".json".Length];
        string? caption;
        try
        {
            using var result = JsonDocument.Parse(body.ToArray());
            caption = result.RootElement.TryGetProperty("caption", out var text) ? text.GetString() : null;
        }
        catch (JsonException)
        {
            caption = "(unreadable result)";
        }

        _writes.GetOrAdd(image, _ => new ConcurrentQueue<string?>()).Enqueue(caption);
    }
}
