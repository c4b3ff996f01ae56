using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace Captioner.LocalHost.Durable;

/// <summary>
/// Where the local Durable Task sidecar listens (the configured loopback port, or a free one) and the one gRPC
/// channel the worker and the client share to reach it.
/// </summary>
internal sealed class SidecarEndpoint : IDisposable
{
    public SidecarEndpoint(IOptions<LocalDurableOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var port = options.Value.SidecarPort > 0 ? options.Value.SidecarPort : FreePort();
        Address = new Uri($"http://127.0.0.1:{port}");
        Channel = GrpcChannel.ForAddress(Address);
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public void Dispose() => Channel.Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
