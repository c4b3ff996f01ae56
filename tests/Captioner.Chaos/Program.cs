using System.Globalization;
using System.Text.Json;
using Captioner.Chaos;

// scripts/chaos.sh calls this: Captioner.Chaos IMAGES_DIR COUNT [--fault-rate R] [--kills K] [--hosts N] [--seed S] [--no-training] [--deadline MINUTES] [--spare-dequeues]
// [--host-setting NAME=VALUE]... (environment for the host, e.g. to compare retry settings)
if (args.Length < 2 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: chaos.sh IMAGES_DIR COUNT [--fault-rate R] [--kills K] [--seed S] [--no-training] [--deadline MINUTES]");
    return 2;
}

var rate = double.Parse(Argument("--fault-rate") ?? "0.2", CultureInfo.InvariantCulture);
var kills = int.Parse(Argument("--kills") ?? "2", CultureInfo.InvariantCulture);
var hosts = int.Parse(Argument("--hosts") ?? "1", CultureInfo.InvariantCulture);
if (rate is < 0 or >= 1 || kills < 0 || hosts is < 1 or > 8)
{
    Console.Error.WriteLine("error: --fault-rate must be in [0, 1), --kills at least 0 and --hosts 1 to 8");
    return 2;
}

var options = new ChaosOptions(
    Path.GetFullPath(args[0]),
    count,
    rate,
    kills,
    hosts,
    int.Parse(Argument("--seed") ?? "1", CultureInfo.InvariantCulture),
    Training: !args.Contains("--no-training"),
    Deadline: TimeSpan.FromMinutes(double.Parse(Argument("--deadline") ?? "15", CultureInfo.InvariantCulture)),
    SpareDequeues: args.Contains("--spare-dequeues"),
    HostSettings: args.Select((a, i) => (a, i)).Where(p => p.a == "--host-setting" && p.i + 1 < args.Length).Select(p => args[p.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.ElementAtOrDefault(1) ?? string.Empty));
var report = await new ChaosRun(options).RunAsync();

Console.WriteLine();
Console.WriteLine($"images {report.Images}, results for their current content {report.Results}, lost {report.Lost}, duplicates {report.Duplicates}, changed {report.Changed}");
Console.WriteLine($"faults injected {report.FaultsInjected} ({string.Join(", ", report.FaultsByKind.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value}"))}); {report.ProxiedRequestsPerImage} storage requests per image through the proxy");
Console.WriteLine($"hosts {report.Hosts}; {report.ConflictsPerImage} conflicts (412) per image");
Console.WriteLine($"kills {report.Kills}; host starts that failed and were retried {report.FailedStarts}; {report.Seconds} s until every image had its result and the bulk job was complete");
Console.WriteLine($"bulk job: {JsonSerializer.Serialize(report.Bulk)}; exact: {report.BulkExact}");
foreach (var failure in report.FailedResults.Take(10))
{
    Console.WriteLine($"failed result: {failure}");
}

foreach (var image in report.LostImages)
{
    Console.WriteLine($"lost: {image}");
}

foreach (var (queue, errors) in report.Poisoned)
{
    Console.WriteLine($"poison queue of {queue}: {errors.Count} message(s): {string.Join(" | ", errors.Distinct().Take(5))}");
}

if (report.Training is { } training)
{
    Console.WriteLine($"training under faults: {training.RuntimeStatus} in {training.Seconds} s, version {training.Version}{(training.Error is null ? string.Empty : ": " + training.Error)}");
}

Console.WriteLine($"host logs: {string.Join(", ", report.HostLogs)}");
Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
return report.Passed ? 0 : 1;

string? Argument(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
