using System.Diagnostics;
using System.Text.Json;
using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>
/// The fault-injection run at its small size: 60 photos, one storage request in five failed by the proxy, one
/// SIGKILL, and a durable training job under the same faults. Every image must end with exactly one result for its
/// content, none rewritten, the bulk job's counts exact.
/// </summary>
public sealed class ChaosRunTests
{
    [Fact]
    public async Task Under_injected_storage_faults_and_a_kill_every_image_gets_exactly_one_unchanging_result_and_training_finishes()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        foreach (var argument in new[] { Path.Combine(RepositoryPaths.Root, "scripts", "chaos.sh"), Path.Combine(RepositoryPaths.Flickr8k, "images"), "60", "--fault-rate", "0.2", "--kills", "1", "--no-build", "--deadline", "8" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chaos.sh did not finish in 20 minutes:\n" + await output);
        }

        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await output}\n{await error}");
        var report = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal((60, 60, 0, 0, 0, 1), (report.GetProperty("images").GetInt32(), report.GetProperty("results").GetInt32(), report.GetProperty("lost").GetInt32(), report.GetProperty("duplicates").GetInt32(), report.GetProperty("changed").GetInt32(), report.GetProperty("kills").GetInt32()));
        Assert.True(report.GetProperty("bulkExact").GetBoolean());
        Assert.True(report.GetProperty("faultsInjected").GetInt32() >= 20, lines[^1]);
        Assert.True(report.GetProperty("training").GetProperty("completed").GetBoolean(), lines[^1]);
    }
}
