using System.Text.Json;
using System.Text.Json.Serialization;
using Captioner.Core.Messages;

namespace Captioner.Hosting;

/// <summary>Reads the body of <c>POST /api/bulk</c> into a bulk request; bad input is an <see cref="ArgumentException"/> with the reason.</summary>
public static class BulkRequestParser
{
    /// <summary>
    /// Body: <c>{"container": "images", "prefix": "2024/", "force": false, "decoding": {"mode": "beam", "beam": 3}}</c>;
    /// only <c>container</c> is required.
    /// </summary>
    public static BulkRequestMessage Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length > MaxBodyChars)
        {
            throw new ArgumentException($"The body is {body.Length:N0} characters; a bulk request is at most {MaxBodyChars:N0}.");
        }

        BulkBody? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, BulkJson.Default.BulkBody);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The body is not valid JSON: {ex.Message}", ex);
        }

        if (parsed is null || string.IsNullOrWhiteSpace(parsed.Container))
        {
            throw new ArgumentException("The body must name a container: {\"container\": \"images\", \"prefix\": \"...\"}.");
        }

        if (!IsContainerName(parsed.Container))
        {
            throw new ArgumentException($"'{Printable(parsed.Container)}' is not a container name: 3 to 63 lowercase letters, digits and single hyphens, starting with a letter or digit.");
        }

        if (parsed.Prefix is { } prefix && PrefixProblem(prefix) is { } problem)
        {
            throw new ArgumentException($"The prefix {problem}.");
        }

        var decoding = parsed.Decoding ?? new DecodingSpec();
        decoding.ToOptions();
        return new BulkRequestMessage
        {
            Id = Guid.NewGuid().ToString("N"),
            Container = parsed.Container,
            Prefix = parsed.Prefix ?? string.Empty,
            Force = parsed.Force,
            Decoding = decoding,
        };
    }

    /// <summary>Whether <paramref name="name"/> is a valid blob container name.</summary>
    public static bool IsContainerName(string name) => ContainerName.IsMatch(name);

    /// <summary>Longest body accepted (a request names a container, a prefix and decoding settings).</summary>
    public const int MaxBodyChars = 16 * 1024;

    private static readonly System.Text.RegularExpressions.Regex ContainerName = new("^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static string? PrefixProblem(string prefix) =>
        prefix.Length > 1024 ? $"is {prefix.Length:N0} characters; blob names are at most 1,024"
        : prefix.Any(char.IsControl) ? "contains a control character"
        : prefix.Split('/').Any(segment => segment is "." or "..") ? "contains a '.' or '..' segment; blob names are not paths to resolve"
        : null;

    private static string Printable(string text) => new([.. text.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);

    internal sealed record BulkBody(
        [property: JsonPropertyName("container")] string? Container,
        [property: JsonPropertyName("prefix")] string? Prefix,
        [property: JsonPropertyName("force")] bool Force,
        [property: JsonPropertyName("decoding")] DecodingSpec? Decoding);
}

[JsonSerializable(typeof(BulkRequestParser.BulkBody))]
[JsonSerializable(typeof(Core.Pipeline.BulkStatus))]
[JsonSerializable(typeof(BulkAccepted))]
internal sealed partial class BulkJson : JsonSerializerContext;

/// <summary>JSON of the bulk API.</summary>
public static class BulkApiJson
{
    public static string Serialize(BulkAccepted accepted) => JsonSerializer.Serialize(accepted, BulkJson.Default.BulkAccepted);

    public static string Serialize(Core.Pipeline.BulkStatus status) => JsonSerializer.Serialize(status, BulkJson.Default.BulkStatus);
}

/// <summary>The 202 answer to a bulk request.</summary>
public sealed record BulkAccepted(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("statusUrl")] string StatusUrl);
