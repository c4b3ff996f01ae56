using Captioner.Core.Pipeline;
using Captioner.Core.Resilience;
using Captioner.Core.Storage;
using Captioner.Training.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Captioner.Hosting;

/// <summary>
/// Once a day, deletes the progress rows of bulk jobs finished more than <c>Captioner:BulkRetentionDays</c> ago and the
/// workspaces of training jobs idle for more than <c>Captioner:TrainingRetentionDays</c> (their models stay in <c>models/</c>).
/// Each part runs in the app that serves its API (in Azure the other app's identity has no access to that data);
/// the local host serves both.
/// </summary>
public sealed class RetentionSweep(BulkProgress progress, StorageClients storage, IOptions<PipelineOptions> options, IConfiguration configuration, ILogger<RetentionSweep> logger) : BackgroundService
{
    private bool Serves(string function) => !string.Equals(configuration[$"AzureWebJobs.{function}.Disabled"], "true", StringComparison.OrdinalIgnoreCase);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(
            TimeSpan.FromDays(1),
            async token =>
            {
                var bulk = Serves("StartBulk") ? await progress.DeleteFinishedBeforeAsync(DateTimeOffset.UtcNow.AddDays(-options.Value.BulkRetentionDays), token).ConfigureAwait(false) : 0;
                var training = Serves("StartTraining") ? await TrainingRetention.DeleteIdleJobsAsync(storage.Container(storage.Names.TrainingContainer), DateTimeOffset.UtcNow.AddDays(-options.Value.TrainingRetentionDays), token).ConfigureAwait(false) : 0;
                logger.RetentionSwept(bulk, options.Value.BulkRetentionDays, training, options.Value.TrainingRetentionDays);
            },
            logger.RetentionFailed,
            stoppingToken);
}
