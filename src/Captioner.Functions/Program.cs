using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Captioner.Functions;
using Captioner.Core.Telemetry;
using Captioner.Hosting;
using Captioner.Hosting.Training;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: the HTTP triggers take HttpRequest and return the shared handlers' IResult.
builder.ConfigureFunctionsWebApplication();
builder.Services.AddOptions<PublicAddressOptions>().Bind(builder.Configuration.GetSection(CaptionerServices.Section)).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<PublicAddressOptions>, PublicAddressOptionsValidator>();
builder.UseMiddleware<PublicAddress>();

builder.Services.AddCaptioner(builder.Configuration);
builder.Services.AddCaptionerTraining();

// Traces, metrics (the app's batching and storage-request instruments included) and logs of the worker go to Application Insights over OpenTelemetry (host.json's
// telemetryMode does the same for the host), authenticated with the app's managed identity: no key.
var telemetry = builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults()
    .WithMetrics(metrics => metrics.AddMeter(CaptionerMetrics.MeterName));
if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    telemetry.UseAzureMonitorExporter(exporter => exporter.Credential = new ManagedIdentityCredential(
        ManagedIdentityId.FromUserAssignedClientId(builder.Configuration["AzureWebJobsStorage__clientId"] ?? string.Empty)));
}

builder.Build().Run();
