using Captioner.Training.Orchestration;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;

namespace Captioner.LocalHost.Durable;

/// <summary>Wires the local Durable Task sidecar, a worker running the training orchestration and a client for the API.</summary>
internal static class LocalDurableTask
{
    public static void AddLocalDurableTask(this IServiceCollection services)
    {
        services.AddOptions<LocalDurableOptions>().BindConfiguration(LocalDurableOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<LocalDurableOptions>, LocalDurableOptionsValidator>();
        services.AddSingleton<SidecarEndpoint>();

        // Registered before the worker so the sidecar listens when the worker connects.
        services.AddSingleton<DurableSidecar>();
        services.AddHostedService(provider => provider.GetRequiredService<DurableSidecar>());
        services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc();
            worker.Services.AddOptions<GrpcDurableTaskWorkerOptions>(worker.Name).Configure<SidecarEndpoint>((grpc, endpoint) => grpc.Channel = endpoint.Channel);
            worker.AddTasks(tasks => tasks.AddTrainingTasks());
        });
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc();
            client.Services.AddOptions<GrpcDurableTaskClientOptions>(client.Name).Configure<SidecarEndpoint>((grpc, endpoint) => grpc.Channel = endpoint.Channel);
        });
    }
}
