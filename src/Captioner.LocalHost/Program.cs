using Azure.Storage.Queues;
using Captioner.Core.Models;
using Captioner.Core.Pipeline;
using Captioner.Core.Resilience;
using Captioner.Core.Storage;
using Captioner.Hosting;
using Captioner.Hosting.Http;
using Captioner.Hosting.Training;
using Captioner.LocalHost;
using Captioner.LocalHost.Durable;
using Microsoft.Extensions.Options;

// Settings (appsettings.json) live beside the binary, whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// The local host has no authentication: it listens on loopback only unless told otherwise (ASPNETCORE_URLS, --urls),
// and another address needs an explicit setting.
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls(LocalAddress.Default);
}

builder.Host.ConfigureWebJobs(webJobs =>
{
    webJobs.AddAzureStorageCoreServices();
    // host.json's queue settings (copied beside the host), so both hosts take messages alike.
    webJobs.AddAzureStorageQueues(queues => HostJson.QueuesSection(AppContext.BaseDirectory).Bind(queues));
});
// Storage is created (and the model seeded) before the app's background services start: they read it.
builder.Services.AddOptions<LocalHostOptions>().BindConfiguration(LocalHostOptions.Section).ValidateOnStart();
builder.Services.AddHostedService<LocalStackSetup>();
builder.Services.AddCaptioner(builder.Configuration);
builder.Services.AddHostedService<ReconcileLoop>();
builder.Services.AddHostedService<LocalBlobEvents>();
builder.Services.AddCaptionerTraining();
builder.Services.AddLocalDurableTask();

// Error answers without a body of their own (unknown route, wrong method) are problem details too.
builder.Services.AddProblemDetails();

var app = builder.Build();
app.UseMiddleware<CrossSiteGuard>();
app.UseStatusCodePages();
app.MapCaptionerApi();
app.MapGet("/api/health", (ModelRegistry models) => Results.Ok(new { model = models.CurrentVersion }));
app.MapGet("/api/metrics", (Captioner.Core.Telemetry.MetricsAggregator metrics) => Results.Ok(metrics.Snapshot()));
try
{
    var allowRemote = app.Services.GetRequiredService<IOptions<LocalHostOptions>>().Value.AllowRemote;
    if (LocalAddress.NonLoopback(builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? LocalAddress.Default) is { Count: > 0 } exposed)
    {
        if (!allowRemote)
        {
            Console.Error.WriteLine($"error: {string.Join(", ", exposed)} is not a loopback address; the local host has no keys, so listening there needs {LocalAddress.AllowRemoteSetting.Replace(":", "__", StringComparison.Ordinal)}=true.");
            return 2;
        }

        Console.Error.WriteLine($"warning: listening on {string.Join(", ", exposed)} without keys: anyone who can reach it can read every image and start jobs.");
    }

    app.Services.GetRequiredService<StartupChecks>().CheckSettings();
    await StorageProbe.CheckReachableAsync(app.Services.GetRequiredService<StorageClients>(), TimeSpan.FromSeconds(20));
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is OptionsValidationException or InvalidSettingsException || (ex is InvalidOperationException && ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)))
{
    // A wrong setting: one line that names it, no stack trace.
    var reasons = ex is OptionsValidationException validation ? validation.Failures : [ex.Message];
    Console.Error.WriteLine($"error: {string.Join(" ", reasons)}");
    return 2;
}
catch (StorageUnreachableException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 3;
}

/// <summary>Sweeps <c>images</c> for blobs without a result (an upload event lost), every <c>Captioner:ReconcileInterval</c>.</summary>
internal sealed class ReconcileLoop(ImageReconciler reconciler, Microsoft.Extensions.Options.IOptions<PipelineOptions> options, ILogger<ReconcileLoop> logger) : BackgroundService
{
    // The first sweep one interval after start, then every interval; a failed one is logged and the next one runs.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(options.Value.ReconcileInterval, stoppingToken);
        await PeriodicWork.RunAsync(options.Value.ReconcileInterval, reconciler.StartAsync, logger.ReconcileNotStarted, stoppingToken);
    }
}

/// <summary>Creates what the app needs in storage and seeds the default model when no model is published yet.</summary>
internal sealed class LocalStackSetup(StorageClients storage, ModelStore models, ModelRegistry registry, Microsoft.Extensions.Options.IOptions<SeedModelOptions> seed, ILogger<LocalStackSetup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        if (await models.GetCurrentAsync(cancellationToken) is null && seed.Value.SeedModel is { Length: > 0 } folder)
        {
            var version = await models.PublishAsync(folder, makeCurrent: true, cancellationToken);
            logger.ModelSeeded(version, folder);
        }

        await registry.RefreshAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
