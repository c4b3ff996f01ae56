using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Captioner.Core.Batching;
using Captioner.Core.Resilience;
using Captioner.Core.Storage;
using Polly;

namespace Captioner.Core.Pipeline;

/// <summary>
/// Bulk job progress in a table. The job's partition holds its summary (listed total, pages listed, images skipped
/// at listing) and one row per page; image outcomes are spread over <see cref="Shards"/> partitions by a hash of
/// the image's name, each with its own counter row, so instances recording outcomes at once rarely contend on one
/// entity. An image's row and its shard's counter change in one entity-group transaction (outcomes arriving together
/// share one), so a retried or duplicated message never counts twice and a crash never loses a count; counters
/// change under optimistic concurrency (ETag), retried on conflict. The status sums the summary and the shards.
/// </summary>
public sealed class BulkProgress : IAsyncDisposable
{
    /// <summary>
    /// Partitions a job's image outcomes are spread over: enough that a few instances rarely write the same counter at
    /// once, few enough that the 32 outcomes of one caption request still share transactions (each shard's is one).
    /// </summary>
    public const int Shards = 8;

    private const string SummaryRow = "summary";

    // One row per job whose listing has not ended: what the stalled-job check reads, one partition, not the table.
    // Job ids are letters, digits, '-' and '_': no job's partition is this one.
    private const string RunningPartition = "~running";
    private const string CounterRow = "counts";

    // Done images whose caption is unsure: counted beside Done, never instead of it.
    private const string UnsureCounter = "Unsure";
    private static readonly string[] Counters = [nameof(BulkItemStatus.Done), nameof(BulkItemStatus.Skipped), nameof(BulkItemStatus.Failed)];
    private readonly TableClient _table;
    private readonly ResiliencePipeline _resilience;

    // One recorder per shard: transactions of different shards run side by side.
    private readonly DynamicBatcher<BulkItem, bool>[] _recorders;

    // The last counter this instance wrote per shard partition, with its ETag: while no other instance writes the shard,
    // a transaction needs no read first. Any failure drops the entry, so the next try reads.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TableEntity> _counters = new(StringComparer.Ordinal);
    private const int MaxCachedCounters = 4096;

    public BulkProgress(StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Tables.GetTableClient(storage.Names.BulkJobsTable);

        // Concurrency conflicts (412) on the summary are expected under load: the whole update runs again, quickly.
        _resilience = StorageResilience.Create(attempts: 50);

        // A transaction holds at most 100 entities: 99 rows and the shard's counter.
        _recorders = [.. Enumerable.Range(0, Shards).Select(_ => new DynamicBatcher<BulkItem, bool>("bulk-progress", new BatchSettings(99, TimeSpan.FromMilliseconds(20)), RecordBatchAsync, item => item.Id))];
    }

    /// <summary>Creates the job's summary row if it does not exist; <paramref name="firstPage"/> is the message that lists its first page (kept to resume a stalled job).</summary>
    public async Task StartAsync(string id, string container, string prefix, string? firstPage = null, CancellationToken cancellationToken = default)
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
            ["NextPage"] = firstPage,
        };
        try
        {
            await _table.UpsertEntityAsync(new TableEntity(RunningPartition, id), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            await _table.AddEntityAsync(summary, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Started already (a retried request).
        }
    }

    /// <summary>
    /// The page messages of jobs (all running ones, or just <paramref name="onlyId"/>) whose listing has made no
    /// progress for <paramref name="stalledAfter"/>: their lister most likely died holding its message, which the
    /// platform would hide for minutes. Each is taken by one caller only (the summary is touched under its ETag),
    /// and jobs whose listing ended leave the running list.
    /// </summary>
    public async Task<IReadOnlyList<string>> TakeStalledPagesAsync(TimeSpan stalledAfter, string? onlyId = null, CancellationToken cancellationToken = default)
    {
        var ids = new List<string>();
        if (onlyId is not null)
        {
            ids.Add(onlyId);
        }
        else
        {
            await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == RunningPartition, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                ids.Add(row.RowKey);
            }
        }

        var pages = new List<string>();
        foreach (var id in ids)
        {
            var found = await _table.GetEntityIfExistsAsync<TableEntity>(id, SummaryRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!found.HasValue || found.Value!.GetBoolean("ListingComplete") == true)
            {
                await LeaveRunningAsync(id, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var summary = found.Value;
            if (summary.Timestamp > DateTimeOffset.UtcNow - stalledAfter || summary.GetString("NextPage") is not { Length: > 0 } page)
            {
                continue;
            }

            try
            {
                summary["ResumedAt"] = DateTimeOffset.UtcNow;
                await _table.UpdateEntityAsync(summary, summary.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                pages.Add(page);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Progress, or another instance took it.
            }
        }

        return pages;
    }

    private async Task LeaveRunningAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(RunningPartition, id, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Gone already.
        }
    }

    /// <summary>Ends the job as failed with <paramref name="reason"/>: no more pages will be listed.</summary>
    public Task FailAsync(string id, string reason, CancellationToken cancellationToken = default) =>
        _resilience.ExecuteAsync(async token =>
        {
            var summary = (await _table.GetEntityAsync<TableEntity>(id, SummaryRow, cancellationToken: token).ConfigureAwait(false)).Value;
            summary["Error"] = reason;
            summary["ListingComplete"] = true;
            await _table.UpdateEntityAsync(summary, summary.ETag, TableUpdateMode.Replace, token).ConfigureAwait(false);
            await LeaveRunningAsync(id, token).ConfigureAwait(false);
        }, cancellationToken).AsTask();

    /// <summary>
    /// Deletes the rows of jobs finished before <paramref name="cutoff"/> (their summary's last update; the summary last, so a sweep that stops
    /// half-way finds the job again); returns how many jobs went. Jobs still running are kept whatever their age.
    /// </summary>
    public async Task<int> DeleteFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var old = new List<string>();
        await foreach (var summary in _table.QueryAsync<TableEntity>(e => e.RowKey == SummaryRow && e.Timestamp < cutoff, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if ((await StatusAsync(summary, cancellationToken).ConfigureAwait(false)).Completed)
            {
                old.Add(summary.PartitionKey);
            }
        }

        foreach (var id in old)
        {
            foreach (var partition in Enumerable.Range(0, Shards).Select(shard => ShardPartition(id, shard)).Append(id))
            {
                var rows = new List<TableEntity>();
                await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == partition && e.RowKey != SummaryRow, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(row);
                }

                foreach (var chunk in rows.Chunk(100))
                {
                    await _table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken).ConfigureAwait(false);
                }
            }

            await _table.DeleteEntityAsync(id, SummaryRow, ETag.All, cancellationToken).ConfigureAwait(false);
        }

        return old.Count;
    }

    /// <summary>Pages listed so far.</summary>
    public async Task<int> PagesListedAsync(string id, CancellationToken cancellationToken = default)
    {
        var summary = await _table.GetEntityAsync<TableEntity>(id, SummaryRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return summary.Value.GetInt32("Pages") ?? 0;
    }

    /// <summary>
    /// Which images of page <paramref name="page"/> are skipped as captioned: <paramref name="captioned"/> the first time
    /// the page is decided, the first decision on every later attempt (a retried page must not count an image it
    /// sent before as skipped now). One row per page, with the skipped names' 8-byte digests.
    /// </summary>
    public async Task<PageSkips> DecidePageAsync(string id, int page, IReadOnlyCollection<string> captioned, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(captioned);
        var key = PageRowKey(page);
        var digests = captioned.Select(PageSkips.Digest).Order().ToArray();
        var row = new TableEntity(id, key) { ["Skipped"] = digests.Length, ["Digests"] = digests.SelectMany(BitConverter.GetBytes).ToArray() };
        try
        {
            await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return new PageSkips(digests.ToHashSet());
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Decided by an earlier attempt (or by this one, its answer lost): keep that decision.
            var first = (await _table.GetEntityAsync<TableEntity>(id, key, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            var bytes = first.GetBinary("Digests") ?? [];
            var kept = Enumerable.Range(0, bytes.Length / sizeof(ulong)).Select(i => BitConverter.ToUInt64(bytes, i * sizeof(ulong))).ToHashSet();
            return new PageSkips(kept);
        }
    }

    /// <summary>
    /// Counts page <paramref name="page"/> of <paramref name="count"/> images, <paramref name="skipped"/> of them skipped
    /// at listing, once; later calls for the same page change nothing. The message that lists the next page
    /// (<paramref name="nextPage"/>, null after the last) is kept to resume the job if its lister dies.
    /// </summary>
    public Task RecordPageAsync(string id, int page, int count, int skipped, bool last, string? nextPage = null, CancellationToken cancellationToken = default) =>
        _resilience.ExecuteAsync(async token =>
        {
            var summary = (await _table.GetEntityAsync<TableEntity>(id, SummaryRow, cancellationToken: token).ConfigureAwait(false)).Value;
            if ((summary.GetInt32("Pages") ?? 0) != page)
            {
                return;
            }

            summary["Pages"] = page + 1;
            summary["Total"] = (summary.GetInt64("Total") ?? 0) + count;
            summary["Skipped"] = (summary.GetInt64("Skipped") ?? 0) + skipped;
            summary["ListingComplete"] = last;
            summary["NextPage"] = nextPage;
            await _table.UpdateEntityAsync(summary, summary.ETag, TableUpdateMode.Replace, token).ConfigureAwait(false);
            if (last)
            {
                await LeaveRunningAsync(id, token).ConfigureAwait(false);
            }
        }, cancellationToken).AsTask();

    /// <summary>
    /// Records an image's outcome once. Outcomes of one job arriving together are recorded in one transaction
    /// (their rows and the counters); a row that exists already (a retried or duplicated message) makes the
    /// batch fall back to one transaction per image, where it counts nothing.
    /// </summary>
    public Task RecordAsync(string id, string image, BulkItemStatus status, CancellationToken cancellationToken = default) =>
        RecordAsync(id, image, status, unsure: false, cancellationToken);

    /// <summary>Records an image's outcome once; a done image whose caption is <paramref name="unsure"/> is also counted as unsure, in the same transaction.</summary>
    public Task RecordAsync(string id, string image, BulkItemStatus status, bool unsure, CancellationToken cancellationToken = default) =>
        _recorders[Shard(image)].SubmitAsync(new BulkItem(id, image, status, unsure), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var recorder in _recorders)
        {
            await recorder.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<bool>> RecordBatchAsync(IReadOnlyList<BulkItem> items, CancellationToken cancellationToken)
    {
        // The same image twice in one batch (a duplicated message) is one row.
        var rows = items.DistinctBy(item => item.Image, StringComparer.Ordinal).ToList();
        var partition = ShardPartition(rows[0].Id, Shard(rows[0].Image));
        await _resilience.ExecuteAsync(async token =>
        {
            while (rows.Count > 0)
            {
                var counts = _counters.TryRemove(partition, out var cached) ? cached
                    : (await _table.GetEntityIfExistsAsync<TableEntity>(partition, CounterRow, cancellationToken: token).ConfigureAwait(false)) is { HasValue: true } read ? read.Value!
                    : null;
                var exists = counts is not null;
                counts ??= new TableEntity(partition, CounterRow);
                var actions = new List<TableTransactionAction>(rows.Count + 1);
                foreach (var item in rows)
                {
                    var counter = item.Status.ToString();
                    counts[counter] = (counts.GetInt64(counter) ?? 0) + 1;
                    var row = new TableEntity(partition, RowKey(item.Image)) { ["Image"] = item.Image, ["Status"] = counter };
                    if (item.Unsure)
                    {
                        counts[UnsureCounter] = (counts.GetInt64(UnsureCounter) ?? 0) + 1;
                        row[UnsureCounter] = true;
                    }

                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
                }

                actions.Add(exists
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, counts, counts.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, counts));
                try
                {
                    var answers = (await _table.SubmitTransactionAsync(actions, token).ConfigureAwait(false)).Value;
                    if (answers.Count == actions.Count && answers[^1].Headers.ETag is { } written && _counters.Count < MaxCachedCounters)
                    {
                        counts.ETag = written;
                        _counters[partition] = counts;
                    }

                    return;
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 409 && !exists && ex.FailedTransactionActionIndex == actions.Count - 1)
                {
                    // Another writer created the shard's counter first: count again on top of theirs.
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 409)
                {
                    // Some rows exist: counted before, by a retried or duplicated message, or by this very transaction
                    // when storage carried it out but the answer was lost. The transaction is all or nothing, so the
                    // rows not yet there are counted again, alone.
                    var counted = await CountedAsync(partition, rows, token).ConfigureAwait(false);
                    if (counted.Count == 0)
                    {
                        throw;
                    }

                    rows = [.. rows.Where(row => !counted.Contains(RowKey(row.Image)))];
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        return [.. items.Select(_ => true)];
    }

    /// <summary>Which of <paramref name="rows"/> have their row already (queries of 15 keys: the service's limit of comparisons per filter).</summary>
    private async Task<HashSet<string>> CountedAsync(string partition, IReadOnlyList<BulkItem> rows, CancellationToken cancellationToken)
    {
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in rows.Select(row => RowKey(row.Image)).Chunk(14))
        {
            // Row keys are hex digests; the job id is escaped.
            var filter = $"{TableClient.CreateQueryFilter($"PartitionKey eq {partition}")} and ({string.Join(" or ", chunk.Select(key => $"RowKey eq '{key}'"))})";
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                counted.Add(row.RowKey);
            }
        }

        return counted;
    }

    /// <summary>The summary's counts (images skipped at listing) plus every shard's: one point read per shard, side by side.</summary>
    private async Task<BulkStatus> StatusAsync(TableEntity summary, CancellationToken cancellationToken)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard =>
            _table.GetEntityIfExistsAsync<TableEntity>(ShardPartition(summary.PartitionKey, shard), CounterRow, cancellationToken: cancellationToken))).ConfigureAwait(false);
        long Sum(string counter) => (summary.GetInt64(counter) ?? 0) + shards.Sum(shard => shard.HasValue ? shard.Value!.GetInt64(counter) ?? 0 : 0);
        return new BulkStatus(
            summary.PartitionKey,
            summary.GetString("Container") ?? string.Empty,
            summary.GetString("Prefix") ?? string.Empty,
            summary.GetInt64("Total") ?? 0,
            Sum(Counters[0]),
            Sum(Counters[1]),
            Sum(Counters[2]),
            summary.GetBoolean("ListingComplete") ?? false,
            summary.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            summary.GetString("Error"))
        {
            ListingUpdatedAt = summary.Timestamp ?? DateTimeOffset.MinValue,
            Unsure = Sum(UnsureCounter),
        };
    }

    private static string RowKey(string image) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image)));

    /// <summary>The shard of an image's outcome: the first byte of its name's digest.</summary>
    internal static int Shard(string image) => SHA256.HashData(Encoding.UTF8.GetBytes(image))[0] % Shards;

    // Job ids are letters, digits, '-' and '_': a '.' keeps one job's shards apart from any other job's partition.
    private static string ShardPartition(string id, int shard) => FormattableString.Invariant($"{id}.{shard:x2}");

    // Page rows live in the job's own partition, beside its summary.
    private static string PageRowKey(int page) => FormattableString.Invariant($"page-{page:D9}");



    private sealed record BulkItem(string Id, string Image, BulkItemStatus Status, bool Unsure);

    /// <summary>The job's progress, or null for an unknown id.</summary>
    public async Task<BulkStatus?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(id, SummaryRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || response.Value is not { } summary)
        {
            return null;
        }

        return await StatusAsync(summary, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The images a bulk page skips as captioned, by 8-byte name digest (a collision within one page of at most 5,000 names is not a concern).</summary>
public sealed class PageSkips(IReadOnlySet<ulong> digests)
{
    public bool Contains(string image) => digests.Contains(Digest(image));

    internal static ulong Digest(string image) => BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(image)), 0);
}
