using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Captioner.Core.Storage;

namespace Captioner.TestSupport;

/// <summary>
/// A real Azurite (installed by <c>npm ci</c> from the repository's package.json) on free loopback
/// ports with a throw-away data folder, started once per test collection and killed afterwards. Given a
/// certificate, it serves HTTPS and accepts OAuth bearer tokens (<c>--oauth basic</c>: claims checked, signature not),
/// as well as the account key.
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _location;
    private readonly LoopbackCertificate? _https;

    public AzuriteProcess(LoopbackCertificate? https = null)
    {
        var root = RepositoryPaths.Root;
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new FileNotFoundException($"Azurite is not installed at {azurite}: run 'npm ci' in the repository root (scripts/test.sh does).");
        }

        _https = https;
        _location = Directory.CreateTempSubdirectory("captioner-azurite-").FullName;
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var start = new ProcessStartInfo(azurite) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}", "--location", _location, "--skipApiVersionCheck", "--silent",
        }.Concat(https is null ? [] : ["--cert", https.CertificatePath, "--key", https.KeyPath, "--oauth", "basic"]))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitForPort(blob);
        WaitForPort(queue);
        WaitForPort(table);

        var scheme = https is null ? "http" : "https";
        BlobEndpoint = $"{scheme}://127.0.0.1:{blob}/{AccountName}";
        QueueEndpoint = $"{scheme}://127.0.0.1:{queue}/{AccountName}";
        TableEndpoint = $"{scheme}://127.0.0.1:{table}/{AccountName}";
        ConnectionString =
            $"DefaultEndpointsProtocol={scheme};AccountName={AccountName};" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";
    }

    /// <summary>Azurite's one account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Connection string of this Azurite instance (with the account key).</summary>
    public string ConnectionString { get; }

    public string BlobEndpoint { get; }

    public string QueueEndpoint { get; }

    public string TableEndpoint { get; }

    /// <summary>Clients with the default names (the account key; over HTTPS trusting this Azurite's certificate), everything created.</summary>
    public StorageClients CreateClients(StorageNames? names = null)
    {
        var clients = _https is null ? StorageClients.FromConnectionString(ConnectionString, names) : TrustingClients(_https, names);
        clients.EnsureCreatedAsync().GetAwaiter().GetResult();
        return clients;
    }

    public void Dispose()
    {
        // Azurite's node process ignores SIGTERM's exit; kill it outright.
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        Directory.Delete(_location, recursive: true);
    }

    private StorageClients TrustingClients(LoopbackCertificate https, StorageNames? names)
    {
        var transport = new HttpClientTransport(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => https.IsThis(certificate) });
        var blob = StorageClients.BlobOptions();
        var queue = StorageClients.QueueOptions();
        var table = StorageClients.TableOptions();
        blob.Transport = queue.Transport = table.Transport = transport;
        return new StorageClients(new BlobServiceClient(ConnectionString, blob), new QueueServiceClient(ConnectionString, queue), new TableServiceClient(ConnectionString, table), names ?? new StorageNames());
    }

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitForPort(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before listening.");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        throw new TimeoutException($"Azurite did not listen on port {port} within 30 s.");
    }
}

