using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Azure.Storage.Blobs;
using Captioner.Core.Storage;
using Captioner.TestSupport;

namespace Captioner.Chaos;

/// <summary>What to run: the photos, how many, how often storage fails, how many SIGKILLs, how many hosts share the storage.</summary>
internal sealed record ChaosOptions(string ImagesDirectory, int Count, double FaultRate, int Kills, int Hosts, int Seed, bool Training, TimeSpan Deadline, bool SpareDequeues, IReadOnlyDictionary<string, string> HostSettings)
{
    /// <summary>The host's storage network timeout in this run; a timeout fault holds a request a second longer.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The fault-injection run: Azurite, the proxy, N local hosts behind it (instances of one app sharing its storage);
/// uploads, a bulk job over the same images, SIGKILLs at random moments, each on the next host in turn, optionally a
/// small durable training job under the same faults; then an audit of storage itself. Everything it starts, it stops.
/// </summary>
internal sealed class ChaosRun(ChaosOptions options)
{
    private const string Prefix = "chaos/";
    private readonly Random _random = new(options.Seed);
    private readonly string _work = Directory.CreateTempSubdirectory("captioner-chaos-").FullName;

    public async Task<ChaosReport> RunAsync()
    {
        var files = Directory.EnumerateFiles(options.ImagesDirectory, "*.jpg").Order(StringComparer.Ordinal).Take(options.Count).ToList();
        if (files.Count < options.Count)
        {
            throw new ArgumentException($"{options.ImagesDirectory} has {files.Count} .jpg photos; {options.Count} asked for.");
        }

        using var azurite = new AzuriteProcess();
        var storage = azurite.CreateClients();
        var plan = new FaultPlan(options.FaultRate, options.Seed, options.SpareDequeues);
        var writes = new ResultWrites(storage.Blobs.AccountName, storage.Names.CaptionsContainer);
        var ports = new Dictionary<int, Uri>
        {
            [AzuriteProcess.FreePort()] = Endpoint(storage.Blobs.Uri),
            [AzuriteProcess.FreePort()] = Endpoint(storage.Queues.Uri),
            [AzuriteProcess.FreePort()] = Endpoint(storage.Tables.Uri),
        };
        await using var proxy = new FaultProxy(ports, plan, ChaosOptions.ClientTimeout + TimeSpan.FromSeconds(1), writes);
        await proxy.StartAsync();
        var proxied = ProxiedConnection(azurite.ConnectionString, ports);
        var hosts = Enumerable.Range(1, options.Hosts)
            .Select(i => new HostProcess(HostEnvironment(proxied, options.HostSettings), AzuriteProcess.FreePort(), Path.Combine(_work, $"host-{i}.log")))
            .ToList();
        using var stopHosts = new HostGroup(hosts);
        // Stopped by a signal: take the hosts and Azurite down too.
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => StopEverything(hosts, azurite));
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => StopEverything(hosts, azurite));
        var clock = Stopwatch.StartNew();
        var kills = 0;
        plan.Enabled = true;
        foreach (var each in hosts)
        {
            await each.StartAsync(TimeSpan.FromMinutes(3));
        }

        Progress(clock, $"{hosts.Count} host(s) up behind the proxy (fault rate {options.FaultRate}); uploading {files.Count} photos");

        // Uploads go straight to Azurite: the faults are the host's, not the uploader's.
        var etags = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var images = storage.Container(storage.Names.ImagesContainer);
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (file, token) =>
        {
            var name = Prefix + Path.GetFileName(file);
            etags[name] = (await images.GetBlobClient(name).UploadAsync(file, token)).Value.ETag.ToString();
        });

        // The bulk job starts while the uploads are still being captioned, so it races the upload path for the same
        // images (most are not captioned yet when it lists them); the kills land while both run. Messages a killed host
        // had taken come back after the trigger engine's 10-minute lease: the reconcile sweep captions their images
        // sooner, and resumes a bulk job whose listing stalled (Captioner:BulkStallTimeout).
        // Kills go round the hosts from a random one, so with several hosts each kill lands on another.
        var victim = _random.Next(hosts.Count);
        var bulkId = await StartBulkAsync(hosts[_random.Next(hosts.Count)].Http, storage.Names.ImagesContainer);
        Progress(clock, $"bulk job {bulkId} started");
        for (; kills < options.Kills; kills++)
        {
            await KillAtRandomAsync(hosts[victim++ % hosts.Count], clock);
        }

        var audit = new ChaosAudit(storage, writes);
        var finished = await WaitAsync(audit, etags.Count, bulkId, clock);
        var imagesSeconds = clock.Elapsed.TotalSeconds;
        var requestsForImages = plan.Requests;
        Progress(clock, finished ? "every image has its result and the bulk job is complete" : $"deadline of {options.Deadline} passed");

        TrainingOutcome? training = null;
        if (options.Training)
        {
            training = await new TrainingUnderFaults(storage, hosts[_random.Next(hosts.Count)].Http).RunAsync(message => Progress(clock, message));
        }

        plan.Enabled = false;
        var report = await audit.CheckAsync(etags, bulkId);
        var conflicts = proxy.Conflicts;
        return report with
        {
            FaultsInjected = plan.Injected,
            FaultsByKind = plan.InjectedByKind.ToDictionary(f => f.Key.ToString(), f => f.Value),
            Kills = kills,
            Hosts = hosts.Count,
            ConflictsPerImage = Math.Round(conflicts / (double)files.Count, 3),
            FailedStarts = hosts.Sum(h => h.FailedStarts),
            Seconds = Math.Round(imagesSeconds, 1),
            ProxiedRequestsPerImage = Math.Round(requestsForImages / (double)files.Count, 2),
            Training = training,
            HostLogs = [.. hosts.Select(h => h.LogPath)],
        };
    }

    private static void StopEverything(IEnumerable<HostProcess> hosts, AzuriteProcess azurite)
    {
        foreach (var host in hosts)
        {
            host.Kill();
        }

        azurite.Dispose();
        Environment.Exit(130);
    }

    private static Uri Endpoint(Uri service) => new($"{service.Scheme}://{service.Authority}");

    private static string ProxiedConnection(string connection, Dictionary<int, Uri> ports)
    {
        foreach (var (port, target) in ports)
        {
            connection = connection.Replace($"{target.Authority}/", $"127.0.0.1:{port}/", StringComparison.Ordinal);
        }

        return connection;
    }

    private static Dictionary<string, string> HostEnvironment(string connection, IReadOnlyDictionary<string, string> overrides) => new Dictionary<string, string>
    {
        ["AzureWebJobsStorage"] = connection,
        ["Captioner__SeedModel"] = RepositoryPaths.DefaultModel,
        ["Captioner__ModelPollInterval"] = "00:00:05",
        ["Captioner__ReconcileInterval"] = "00:00:20",

        // A killed host's bulk page is queued again this soon (default 3 minutes).
        ["Captioner__BulkStallTimeout"] = "00:01:00",
        ["Captioner__Storage__NetworkTimeout"] = ChaosOptions.ClientTimeout.ToString("c", CultureInfo.InvariantCulture),

        // A killed host's training work item comes back this soon (default 5 minutes).
        ["Captioner__Durable__WorkItemVisibilityTimeout"] = "00:00:20",
        ["Captioner__Durable__ControlQueueVisibilityTimeout"] = "00:00:20",
    }.Concat(overrides).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    private async Task KillAtRandomAsync(HostProcess host, Stopwatch clock)
    {
        await Task.Delay(TimeSpan.FromSeconds(2 + (_random.NextDouble() * 6)));
        host.Kill();
        Progress(clock, $"SIGKILL {Path.GetFileNameWithoutExtension(host.LogPath)}");
        await host.StartAsync(TimeSpan.FromMinutes(3));
        Progress(clock, $"{Path.GetFileNameWithoutExtension(host.LogPath)} restarted");
    }

    private static async Task<string> StartBulkAsync(HttpClient http, string container)
    {
        // Over HTTP, straight to the host: it answers 500 when its own storage requests fail past their retries.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await http.PostAsJsonAsync("/api/bulk", new { container, prefix = Prefix });
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    using var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    return accepted.RootElement.GetProperty("id").GetString()!;
                }

                if (attempt == 20 || (int)response.StatusCode < 500)
                {
                    throw new InvalidOperationException($"POST /api/bulk answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException) when (attempt < 20)
            {
            }

            await Task.Delay(500);
        }
    }

    private async Task<bool> WaitAsync(ChaosAudit audit, int images, string bulkId, Stopwatch clock)
    {
        var deadline = Stopwatch.StartNew();
        var last = string.Empty;
        while (deadline.Elapsed < options.Deadline)
        {
            var (results, bulk) = await audit.ProgressAsync(Prefix, bulkId);
            var line = $"{results}/{images} results; bulk job: {bulk?.Done} done, {bulk?.Skipped} skipped, {bulk?.Failed} failed of {bulk?.Total}, complete: {bulk?.Completed == true}";
            if (line != last)
            {
                Progress(clock, line);
                last = line;
            }

            if (results >= images && bulk?.Completed == true)
            {
                return true;
            }

            await Task.Delay(2000);
        }

        return false;
    }

    private static void Progress(Stopwatch clock, string message) =>
        Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1} s] {message}");
}

/// <summary>Kills every host when the run ends, however it ends.</summary>
internal sealed class HostGroup(IReadOnlyList<HostProcess> hosts) : IDisposable
{
    public void Dispose()
    {
        foreach (var host in hosts)
        {
            host.Dispose();
        }
    }
}
