using Captioner.Core.Storage;

namespace Captioner.Cli.Tests.Stack;

/// <summary>
/// Azurite over HTTPS with OAuth (a certificate made for the run), and a managed identity endpoint that gives the
/// CLI its tokens: the way to a deployed account (Entra ID, no keys) as far as it can be run on one machine.
/// </summary>
public sealed class HttpsAzurite : IDisposable
{
    private readonly LoopbackCertificate _certificate = new();
    private readonly AzuriteProcess _azurite;
    private readonly ManagedIdentityEndpoint _identity = new();

    public HttpsAzurite()
    {
        _azurite = new AzuriteProcess(_certificate);
        Storage = _azurite.CreateClients();
    }

    /// <summary>In-process clients with the account key, to arrange and check what the CLI did.</summary>
    public StorageClients Storage { get; }

    internal IReadOnlyList<RecordedRequest> TokenRequests => _identity.Requests;

    /// <summary>The CLI's arguments for this account: <c>--account</c> and the three endpoints.</summary>
    public string[] AccountArguments(string? blobEndpoint = null) =>
    [
        "--account", AzuriteProcess.AccountName, "--blob-endpoint", blobEndpoint ?? _azurite.BlobEndpoint,
        "--queue-endpoint", _azurite.QueueEndpoint, "--table-endpoint", _azurite.TableEndpoint,
    ];

    /// <summary>The CLI's environment: the certificate trusted, tokens from the identity endpoint (<paramref name="identityHeader"/> picks which).</summary>
    public Dictionary<string, string?> Environment(string identityHeader = ManagedIdentityEndpoint.StorageToken)
    {
        var environment = _identity.Environment(identityHeader);
        environment["SSL_CERT_FILE"] = _certificate.CertificatePath;
        environment["AzureWebJobsStorage"] = null;
        return environment;
    }

    public void Dispose()
    {
        _identity.Dispose();
        _azurite.Dispose();
        _certificate.Dispose();
    }
}
