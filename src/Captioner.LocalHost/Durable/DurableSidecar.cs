using System.Net;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Captioner.Core.Storage;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;

namespace Captioner.LocalHost.Durable;

/// <summary>
/// The Durable Task back end of the local host: the Durable Task gRPC sidecar (the same protocol the
/// Functions host speaks to isolated workers) served by its own loopback Kestrel over HTTP/2, over the
/// Azure Storage provider on the app's storage account, so orchestrations survive the process.
/// </summary>
internal sealed class DurableSidecar(SidecarEndpoint endpoint, IOptions<LocalDurableOptions> settings, IConfiguration configuration, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly LocalDurableOptions _options = settings.Value;
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The provider takes a connection string: the local host runs on Azurite's, never on an identity.
        var connectionString = configuration[StorageNames.ConnectionSetting]
            ?? throw new InvalidOperationException("The local host needs the AzureWebJobsStorage connection string (Azurite) for Durable Task.");
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = _options.TaskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            PartitionCount = 1,
            WorkItemQueueVisibilityTimeout = _options.WorkItemVisibilityTimeout,
            ControlQueueVisibilityTimeout = _options.ControlQueueVisibilityTimeout,
            MaxConcurrentTaskActivityWorkItems = _options.MaxConcurrentActivities,
            MaxQueuePollingInterval = TimeSpan.FromSeconds(2),
            LoggerFactory = loggerFactory,
        });
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);

        var builder = WebApplication.CreateSlimBuilder();

        // Only the endpoint below: not the app's own URLs (ASPNETCORE_URLS).
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.Empty);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, endpoint.Address.Port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        _app = builder.Build();
        _app.MapGrpcService<TaskHubGrpcServer>();
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
