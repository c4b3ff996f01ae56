using System.Text;
using System.Text.Json;

namespace Captioner.Cli.Tests.Stack;

/// <summary>
/// A managed identity token endpoint on loopback, speaking the protocol of App Service and Container Apps
/// (<c>IDENTITY_ENDPOINT</c> + <c>IDENTITY_HEADER</c>), which DefaultAzureCredential's managed identity source uses:
/// the CLI signs in exactly as it would on an Azure host, with no test seam in it. Tokens are unsigned JWTs with the
/// claims Azurite's <c>--oauth basic</c> checks (issuer, audience, lifetime). The identity header picks the audience,
/// so a test can ask for a token the account refuses.
/// </summary>
internal sealed class ManagedIdentityEndpoint : IDisposable
{
    /// <summary>Identity header value for a token storage accepts.</summary>
    public const string StorageToken = "storage";

    /// <summary>Identity header value for a token for another resource (Key Vault): storage refuses it.</summary>
    public const string WrongAudienceToken = "wrong-audience";

    private readonly LoopbackHttpServer _server = new(Answer);

    public IReadOnlyList<RecordedRequest> Requests => _server.Requests;

    /// <summary>The environment that points DefaultAzureCredential at this endpoint, and only at it.</summary>
    public Dictionary<string, string?> Environment(string identityHeader) => new()
    {
        ["IDENTITY_ENDPOINT"] = _server.Address + "/msi/token",
        ["IDENTITY_HEADER"] = identityHeader,
        ["AZURE_TOKEN_CREDENTIALS"] = "ManagedIdentityCredential",
    };

    public void Dispose() => _server.Dispose();

    private static (int Status, string Body) Answer(RecordedRequest request)
    {
        var audience = request.Header("X-IDENTITY-HEADER") switch
        {
            StorageToken => "https://storage.azure.com",
            WrongAudienceToken => "https://vault.azure.net",
            _ => null,
        };
        if (audience is null)
        {
            return (401, """{"error":"unknown identity header"}""");
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["iss"] = "https://sts.windows.net/00000000-0000-0000-0000-00000000c0de/",
            ["iat"] = now - 60,
            ["nbf"] = now - 60,
            ["exp"] = now + 3600,
            ["oid"] = "00000000-0000-0000-0000-0000000000aa",
        };
        var token = $"{Base64Url("""{"alg":"RS256","typ":"JWT"}""")}.{Base64Url(JsonSerializer.Serialize(claims))}.{Base64Url("unsigned")}";
        return (200, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["access_token"] = token,
            ["expires_on"] = (now + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["resource"] = "https://storage.azure.com",
            ["token_type"] = "Bearer",
        }));
    }

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
