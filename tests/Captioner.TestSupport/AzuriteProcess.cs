using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Captioner.Core.Storage;

namespace Captioner.TestSupport;

/// <summary>
/// A real Azurite (installed by <c>npm ci</c> from the repository's package.json) on free loopback
/// ports with a throw-away data folder, started once per test collection and killed afterwards.
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _location;

    public AzuriteProcess()
    {
        var root = RepositoryPaths.Root;
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new FileNotFoundException($"Azurite is not installed at {azurite}: run 'npm ci' in the repository root (scripts/test.sh does).");
        }

        _location = Directory.CreateTempSubdirectory("captioner-azurite-").FullName;
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var start = new ProcessStartInfo(azurite) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}", "--location", _location, "--skipApiVersionCheck", "--silent",
        })
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

        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
    }

    /// <summary>Connection string of this Azurite instance.</summary>
    public string ConnectionString { get; }

    /// <summary>Clients with the default names, everything created.</summary>
    public StorageClients CreateClients(StorageNames? names = null)
    {
        var clients = StorageClients.FromConnectionString(ConnectionString, names);
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

