using Captioner.Core.Storage;
using System.Net;
using System.Net.Sockets;
using Captioner.Training.Orchestration;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;

namespace Captioner.LocalHost.Durable;

/// <summary>Wires the local Durable Task sidecar, a worker running the training orchestration and a client for the API.</summary>
internal static class LocalDurableTask
{
    public static void AddLocalDurableTask(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(LocalDurableOptions.Section).Get<LocalDurableOptions>() ?? new LocalDurableOptions();
        var connectionString = builder.Configuration[StorageNames.ConnectionSetting]
            ?? throw new InvalidOperationException("The local host needs the AzureWebJobsStorage connection string (Azurite) for Durable Task.");
        var address = new Uri($"http://127.0.0.1:{(options.SidecarPort > 0 ? options.SidecarPort : FreePort())}");

        // Registered before the worker so the sidecar listens when the worker connects.
        builder.Services.AddSingleton(provider => new DurableSidecar(address, connectionString, options, provider.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(provider => provider.GetRequiredService<DurableSidecar>());
        var channel = GrpcChannel.ForAddress(address);
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(channel);
            worker.AddTasks(tasks => tasks.AddTrainingTasks());
        });
        builder.Services.AddDurableTaskClient(client => client.UseGrpc(channel));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
