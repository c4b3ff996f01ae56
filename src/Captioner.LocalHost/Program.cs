using Azure.Storage.Queues;
using Captioner.Core.Models;
using Captioner.Core.Pipeline;
using Captioner.Core.Resilience;
using Captioner.Core.Storage;
using Captioner.Hosting;
using Captioner.Hosting.Training;
using Captioner.LocalHost;
using Captioner.LocalHost.Durable;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

// Settings (appsettings.json) live beside the binary, whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Host.ConfigureWebJobs(webJobs =>
{
    webJobs.AddAzureStorageCoreServices();
    webJobs.AddAzureStorageQueues(queues =>
    {
        // The values of host.json, so both hosts behave alike.
        // Enough concurrent messages per instance to fill the encoder and decoder batches.
        queues.BatchSize = 32;
        queues.NewBatchThreshold = 16;
        queues.MaxDequeueCount = 5;
        queues.VisibilityTimeout = TimeSpan.FromSeconds(30);
        queues.MaxPollingInterval = TimeSpan.FromSeconds(2);
        queues.MessageEncoding = QueueMessageEncoding.Base64;
    });
});
builder.Services.AddCaptioner(builder.Configuration);
builder.Services.AddHostedService<LocalStackSetup>();
builder.Services.AddHostedService<ReconcileLoop>();
builder.Services.AddHostedService<LocalBlobEvents>();
builder.Services.AddCaptionerTraining();
builder.AddLocalDurableTask();

// Error answers without a body of their own (unknown route, wrong method) are problem details too.
builder.Services.AddProblemDetails();

var app = builder.Build();
app.UseStatusCodePages();
app.MapPost("/api/bulk", async (HttpRequest request, HttpResponse response, BulkLister lister, CancellationToken cancellationToken) =>
{
    if (await ApiRequests.ReadBodyAsync(request.Body, request.ContentLength, BulkRequestParser.MaxBodyChars, cancellationToken) is not { } body)
    {
        return Problem(StatusCodes.Status413PayloadTooLarge, $"A bulk request is at most {BulkRequestParser.MaxBodyChars:N0} bytes.");
    }

    Captioner.Core.Messages.BulkRequestMessage bulk;
    try
    {
        bulk = BulkRequestParser.Parse(body);
        await lister.StartAsync(bulk, cancellationToken);
    }
    catch (ArgumentException ex)
    {
        return Problem(StatusCodes.Status400BadRequest, ex.Message);
    }
    catch (UnknownContainerException ex)
    {
        return Problem(StatusCodes.Status404NotFound, ex.Message);
    }

    var statusUrl = $"{request.Scheme}://{request.Host}/api/bulk/{bulk.Id}";
    response.Headers.Location = statusUrl;
    return Results.Text(BulkApiJson.Serialize(new BulkAccepted(bulk.Id, statusUrl)), "application/json", statusCode: StatusCodes.Status202Accepted);
});
app.MapGet("/api/bulk/{id}", async (string id, BulkProgress progress, CancellationToken cancellationToken) =>
    !ApiRequests.IsJobId(id) ? Problem(StatusCodes.Status400BadRequest, ApiRequests.JobIdRule)
    : await progress.GetAsync(id, cancellationToken) is { } status ? Results.Text(BulkApiJson.Serialize(status), "application/json")
    : Problem(StatusCodes.Status404NotFound, $"There is no bulk job '{id}'."));
app.MapPost("/api/training", async (HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
{
    if (await ApiRequests.ReadBodyAsync(request.Body, request.ContentLength, ApiRequests.MaxTrainingBodyChars, cancellationToken) is not { } body)
    {
        return Problem(StatusCodes.Status413PayloadTooLarge, $"A training request is at most {ApiRequests.MaxTrainingBodyChars:N0} bytes.");
    }

    Captioner.Training.Orchestration.TrainingJobRequest training;
    try
    {
        training = TrainingApi.Parse(body);
    }
    catch (ArgumentException ex)
    {
        return Problem(StatusCodes.Status400BadRequest, ex.Message);
    }

    var accepted = await TrainingApi.StartAsync(client, training, new Uri($"{request.Scheme}://{request.Host}"), cancellationToken);
    return Results.Text(TrainingApi.Serialize(accepted), "application/json", statusCode: StatusCodes.Status202Accepted);
});
app.MapGet("/api/training/{id}", async (string id, DurableTaskClient client, CancellationToken cancellationToken) =>
    !ApiRequests.IsJobId(id) ? Problem(StatusCodes.Status400BadRequest, ApiRequests.JobIdRule)
    : await TrainingApi.GetAsync(client, id, cancellationToken) is { } job ? Results.Text(TrainingApi.Serialize(job), "application/json")
    : Problem(StatusCodes.Status404NotFound, $"There is no training job '{id}'."));
app.MapPost("/api/training/{id}/terminate", async (string id, DurableTaskClient client, CancellationToken cancellationToken) =>
    !ApiRequests.IsJobId(id) ? Problem(StatusCodes.Status400BadRequest, ApiRequests.JobIdRule)
    : await TrainingApi.TerminateAsync(client, id, cancellationToken) ? Results.Accepted()
    : Problem(StatusCodes.Status404NotFound, $"There is no training job '{id}'."));
app.MapGet("/api/health", (ModelRegistry models) => Results.Ok(new { model = models.CurrentVersion }));
app.MapGet("/api/metrics", (Captioner.Core.Telemetry.MetricsAggregator metrics) => Results.Ok(metrics.Snapshot()));
try
{
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

static IResult Problem(int status, string detail) => Results.Text(ProblemDetails.Serialize(status, detail), ProblemDetails.ContentType, statusCode: status);

/// <summary>Sweeps <c>images</c> for blobs the polling blob trigger missed, every <c>Captioner:ReconcileInterval</c>.</summary>
internal sealed class ReconcileLoop(ImageReconciler reconciler, Microsoft.Extensions.Options.IOptions<PipelineOptions> options, ILogger<ReconcileLoop> logger) : BackgroundService
{
    // The first sweep one interval after start, then every interval; a failed one is logged and the next one runs.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(options.Value.ReconcileInterval, stoppingToken);
        await PeriodicWork.RunAsync(options.Value.ReconcileInterval, reconciler.StartAsync, ex => logger.LogWarning("Reconcile sweep not started: {Reason}", ex.Message), stoppingToken);
    }
}

/// <summary>Creates what the app needs in storage and seeds the default model when no model is published yet.</summary>
internal sealed class LocalStackSetup(StorageClients storage, ModelStore models, ModelRegistry registry, IConfiguration configuration, ILogger<LocalStackSetup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        if (await models.GetCurrentAsync(cancellationToken) is null && configuration["Captioner:SeedModel"] is { Length: > 0 } seed)
        {
            var version = await models.PublishAsync(seed, makeCurrent: true, cancellationToken);
            logger.LogInformation("Seeded model {Version} from {Folder}", version, seed);
        }

        await registry.RefreshAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
