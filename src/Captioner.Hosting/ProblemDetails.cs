using System.Text.Json;
using System.Text.Json.Serialization;

namespace Captioner.Hosting;

/// <summary>Error answers of the HTTP API in both hosts: RFC 9457 problem details, one-line <c>detail</c>.</summary>
public static class ProblemDetails
{
    public const string ContentType = "application/problem+json";

    // Quotes and apostrophes in a reason stay readable (the default encoder writes \u0027).
    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, TypeInfoResolver = ProblemJson.Default };

    public static string Serialize(int status, string detail) =>
        JsonSerializer.Serialize(new Problem("about:blank", Title(status), status, detail.Split('\n')[0].Trim()), Options);

    private static string Title(int status) => status switch
    {
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        _ => "Error",
    };

    internal sealed record Problem(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("title")] string Title,
        [property: JsonPropertyName("status")] int Status,
        [property: JsonPropertyName("detail")] string Detail);
}

[JsonSerializable(typeof(ProblemDetails.Problem))]
internal sealed partial class ProblemJson : JsonSerializerContext;
