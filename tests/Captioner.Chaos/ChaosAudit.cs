using System.Text.Json.Serialization;
using Azure.Storage.Blobs.Models;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;

namespace Captioner.Chaos;

/// <summary>
/// Reads storage directly (not through the proxy) to judge the run: each image exactly one result, for its
/// current content, never rewritten with another caption; the bulk job's counts exact; the poison queues.
/// </summary>
internal sealed class ChaosAudit(StorageClients storage, ResultWrites writes)
{
    private readonly ResultStore _results = new(storage.Container(storage.Names.CaptionsContainer));

    /// <summary>Result blobs under the prefix (one listing), and the bulk job's progress.</summary>
    public async Task<(int Results, BulkStatus? Bulk)> ProgressAsync(string prefix, string bulkId)
    {
        var results = 0;
        await foreach (var _ in storage.Container(storage.Names.CaptionsContainer).GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, default))
        {
            results++;
        }

        await using var bulk = new BulkProgress(storage);
        return (results, await bulk.GetAsync(bulkId));
    }

    public async Task<ChaosReport> CheckAsync(IReadOnlyDictionary<string, string> etags, string bulkId)
    {
        var current = 0;
        var failed = new List<string>();
        var lost = new List<string>();
        foreach (var (image, etag) in etags)
        {
            var result = await _results.GetAsync(storage.Names.ImagesContainer, image);
            if (result?.ETag != etag)
            {
                lost.Add(image);
                continue;
            }

            current++;
            if (result.Status != CaptionResult.Succeeded)
            {
                failed.Add($"{image}: {result.Reason}: {result.Error}");
            }
        }

        var duplicates = writes.ByImage.Where(w => etags.ContainsKey(w.Key) && w.Value.Count > 1).Select(w => w.Key).ToList();
        var changed = writes.ByImage.Where(w => etags.ContainsKey(w.Key) && w.Value.Distinct().Count() > 1).Select(w => w.Key).ToList();
        await using var progress = new BulkProgress(storage);
        var bulk = await progress.GetAsync(bulkId);
        var bulkExact = bulk is { Completed: true, Error: null } && bulk.Total == etags.Count && bulk.Done + bulk.Skipped + bulk.Failed == bulk.Total;

        // The job's rows, one per image outcome it recorded (in its shard partitions; images skipped at listing have
        // none): beside the counters they tell a lost count from lost work.
        var bulkRows = 0;
        await foreach (var _ in storage.Tables.GetTableClient(storage.Names.BulkJobsTable).QueryAsync<Azure.Data.Tables.TableEntity>(
            Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey gt {bulkId + "."} and PartitionKey lt {bulkId + "/"} and RowKey ne {"counts"}"), select: ["RowKey"]))
        {
            bulkRows++;
        }

        var poison = new Dictionary<string, IReadOnlyList<string>>();
        var poisons = new PoisonMessages(storage);
        foreach (var queue in storage.Names.PipelineQueues)
        {
            var messages = await poisons.ListAsync(queue);
            if (messages.Count > 0)
            {
                poison[queue] = [.. messages.Select(m => m.Error)];
            }
        }

        return new ChaosReport
        {
            Images = etags.Count,
            Results = current,
            Lost = lost.Count,
            Duplicates = duplicates.Count,
            Changed = changed.Count,
            FailedResults = failed,
            LostImages = [.. lost.Take(20)],
            Bulk = bulk,
            BulkExact = bulkExact,
            BulkRows = bulkRows,
            Poisoned = poison,
        };
    }
}

/// <summary>The run's outcome; its compact form is the last line the script prints.</summary>
internal sealed record ChaosReport
{
    public int Images { get; init; }

    public int Results { get; init; }

    public int Lost { get; init; }

    public int Duplicates { get; init; }

    public int Changed { get; init; }

    public int FaultsInjected { get; init; }

    public int Kills { get; init; }

    /// <summary>Local hosts sharing the storage.</summary>
    public int Hosts { get; init; }

    /// <summary>412 answers per image: writes that lost a race with another writer (instances contending on one entity).</summary>
    public double ConflictsPerImage { get; init; }

    public double Seconds { get; init; }

    [JsonIgnore] public IReadOnlyList<string> FailedResults { get; init; } = [];

    [JsonIgnore] public IReadOnlyList<string> LostImages { get; init; } = [];

    [JsonIgnore] public BulkStatus? Bulk { get; init; }

    public bool BulkExact { get; init; }

    /// <summary>Rows the bulk job recorded (one per image outcome; none for images skipped at listing).</summary>
    public int BulkRows { get; init; }

    [JsonIgnore] public IReadOnlyDictionary<string, IReadOnlyList<string>> Poisoned { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public int PoisonMessages => Poisoned.Values.Sum(p => p.Count);

    public double ProxiedRequestsPerImage { get; init; }

    [JsonIgnore] public IReadOnlyDictionary<string, int> FaultsByKind { get; init; } = new Dictionary<string, int>();

    [JsonIgnore] public int FailedStarts { get; init; }

    public TrainingOutcome? Training { get; init; }

    [JsonIgnore] public IReadOnlyList<string> HostLogs { get; init; } = [];

    /// <summary>Nothing lost, duplicated or changed; every image captioned; counts exact; training (if run) finished.</summary>
    [JsonIgnore]
    public bool Passed => Lost == 0 && Duplicates == 0 && Changed == 0 && Results == Images && FailedResults.Count == 0 && BulkExact && (Training is null || Training.Completed);
}
