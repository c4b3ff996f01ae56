using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Captioner.Core.Resilience;
using Captioner.Core.Storage;
using Polly;

namespace Captioner.Core.Pipeline;

/// <summary>
/// Bulk job progress in a table: one summary row per job (listed total, pages listed, counters) and
/// one row per image, in one partition. An image's row and its counter change in one entity-group
/// transaction, so a retried or duplicated message never counts twice and a crash never loses a count;
/// the summary changes under optimistic concurrency (ETag), retried on conflict.
/// </summary>
public sealed class BulkProgress
{
    private const string SummaryRow = "summary";
    private readonly TableClient _table;
    private readonly ResiliencePipeline _resilience;

    public BulkProgress(StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Tables.GetTableClient(storage.Names.BulkJobsTable);

        // Concurrency conflicts (412) are expected under load: retry them too, quickly.
        _resilience = new ResiliencePipelineBuilder()
            .AddRetry(new Polly.Retry.RetryStrategyOptions
            {
                MaxRetryAttempts = 50,
                Delay = TimeSpan.FromMilliseconds(20),
                BackoffType = DelayBackoffType.Exponential,
                MaxDelay = TimeSpan.FromSeconds(1),
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<RequestFailedException>(ex => ex.Status == 412).Handle<Exception>(StorageResilience.IsTransient),
            })
            .Build();
    }

    /// <summary>Creates the job's summary row if it does not exist.</summary>
    public async Task StartAsync(string id, string container, string prefix, CancellationToken cancellationToken = default)
    {
        var summary = new TableEntity(id, SummaryRow)
        {
            ["Container"] = container,
            ["Prefix"] = prefix,
            ["Total"] = 0L,
            ["Pages"] = 0,
            ["ListingComplete"] = false,
            ["Done"] = 0L,
            ["Skipped"] = 0L,
            ["Failed"] = 0L,
            ["CreatedAt"] = DateTimeOffset.UtcNow,
        };
        try
        {
            await _table.AddEntityAsync(summary, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Started already (a retried request).
        }
    }

    /// <summary>Pages listed so far.</summary>
    public async Task<int> PagesListedAsync(string id, CancellationToken cancellationToken = default)
    {
        var summary = await _table.GetEntityAsync<TableEntity>(id, SummaryRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return summary.Value.GetInt32("Pages") ?? 0;
    }

    /// <summary>Counts page <paramref name="page"/> of <paramref name="count"/> images once; later calls for the same page change nothing.</summary>
    public Task RecordPageAsync(string id, int page, int count, bool last, CancellationToken cancellationToken = default) =>
        _resilience.ExecuteAsync(async token =>
        {
            var summary = (await _table.GetEntityAsync<TableEntity>(id, SummaryRow, cancellationToken: token).ConfigureAwait(false)).Value;
            if ((summary.GetInt32("Pages") ?? 0) != page)
            {
                return;
            }

            summary["Pages"] = page + 1;
            summary["Total"] = (summary.GetInt64("Total") ?? 0) + count;
            summary["ListingComplete"] = last;
            await _table.UpdateEntityAsync(summary, summary.ETag, TableUpdateMode.Replace, token).ConfigureAwait(false);
        }, cancellationToken).AsTask();

    /// <summary>Records an image's outcome once: its row and the counter change in one transaction.</summary>
    public async Task RecordAsync(string id, string image, BulkItemStatus status, CancellationToken cancellationToken = default)
    {
        var row = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image)));
        var counter = status.ToString();
        await _resilience.ExecuteAsync(async token =>
        {
            var summary = (await _table.GetEntityAsync<TableEntity>(id, SummaryRow, cancellationToken: token).ConfigureAwait(false)).Value;
            summary[counter] = (summary.GetInt64(counter) ?? 0) + 1;
            var item = new TableEntity(id, row) { ["Image"] = image, ["Status"] = counter };
            try
            {
                await _table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, item),
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, summary, summary.ETag),
                ], token).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409)
            {
                // Counted before: a retried or duplicated message.
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The job's progress, or null for an unknown id.</summary>
    public async Task<BulkStatus?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(id, SummaryRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value is not { } summary)
        {
            return null;
        }

        return new BulkStatus(
            id,
            summary.GetString("Container") ?? string.Empty,
            summary.GetString("Prefix") ?? string.Empty,
            summary.GetInt64("Total") ?? 0,
            summary.GetInt64("Done") ?? 0,
            summary.GetInt64("Skipped") ?? 0,
            summary.GetInt64("Failed") ?? 0,
            summary.GetBoolean("ListingComplete") ?? false,
            summary.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);
    }
}
