using System.Text.Json;
using System.Text.Json.Serialization;
using Captioner.Core;
using Captioner.Core.Messages;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;

namespace Captioner.Hosting;

/// <summary>Reads the body of <c>POST /api/bulk</c> into a bulk request; bad input is an <see cref="ArgumentException"/> with the reason.</summary>
public static class BulkRequestParser
{
    /// <summary>
    /// Body: <c>{"container": "images", "prefix": "2024/", "force": false, "decoding": {"mode": "beam", "beam": 3}}</c>;
    /// only <c>container</c> is required; <c>"name"</c> instead of <c>"prefix"</c> makes the job that one image. The decoding
    /// settings are converted once and handed to <paramref name="checkDecoding"/> (the model served: words it knows).
    /// </summary>
    public static BulkRequestMessage Parse(string body, SourceContainers sources, Action<Core.Decoding.DecodingOptions> checkDecoding)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(checkDecoding);
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

        if (!ContainerNames.IsValid(parsed.Container))
        {
            throw new ArgumentException($"'{PrintableText.Of(parsed.Container)}' is not a container name: {ContainerNames.Rule}.");
        }

        if (sources.Problem(parsed.Container) is { } refused)
        {
            throw new ArgumentException(refused);
        }

        if (parsed.Prefix is { } prefix && ImageNames.PrefixProblem(prefix) is { } problem)
        {
            throw new ArgumentException($"Bad prefix: {problem}");
        }

        if (parsed.Name is { } name)
        {
            if (parsed.Prefix is not null)
            {
                throw new ArgumentException("Name either one image (\"name\") or a prefix (\"prefix\"), not both.");
            }

            if (ImageNames.Problem(name) is { } nameProblem)
            {
                throw new ArgumentException($"Bad name: {nameProblem}");
            }
        }

        var decoding = parsed.Decoding ?? new DecodingSpec();
        checkDecoding(decoding.ToOptions());
        return new BulkRequestMessage
        {
            Id = Guid.NewGuid().ToString("N"),
            Container = parsed.Container,
            Prefix = parsed.Name ?? parsed.Prefix ?? string.Empty,
            Exact = parsed.Name is not null,
            Force = parsed.Force,
            Decoding = decoding,
        };
    }

    /// <summary>Longest body accepted (a request names a container, a prefix and decoding settings).</summary>
    public const int MaxBodyChars = 16 * 1024;

    internal sealed record BulkBody(
        [property: JsonPropertyName("container")] string? Container,
        [property: JsonPropertyName("prefix")] string? Prefix,
        [property: JsonPropertyName("name")] string? Name,
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
