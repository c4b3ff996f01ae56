using System.Text.Json;
using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>The scale benchmark at its quick size: its own stack, a backlog captioned once, then skipped and swept.</summary>
public sealed class ScaleBenchmarkTests
{
    [Fact]
    public async Task The_quick_scale_benchmark_skips_a_captioned_backlog_from_listings_and_ends_with_one_json_line()
    {
        var run = await ScriptRunner.RunAsync("bench-scale.sh", TimeSpan.FromMinutes(8), "300", "--quick", "--no-build");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        var lines = run.OutputLines;
        Assert.Contains(lines, line => line.Contains("caption once", StringComparison.Ordinal) && line.Contains("300 done, 0 skipped, 0 failed of 300", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("non-forced bulk job", StringComparison.Ordinal) && line.Contains("0 done, 300 skipped, 0 failed of 300", StringComparison.Ordinal));
        var summary = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal(300, summary.GetProperty("images").GetInt32());

        // Captioning costs a few requests per image; finding there is nothing to do costs a listing's share, here a
        // page's fixed requests over 300 images (at 100,000 it is under 0.002 per image: docs/performance.md).
        Assert.InRange(summary.GetProperty("captionRequestsPerImage").GetDouble(), 2, 10);
        Assert.InRange(summary.GetProperty("skipRequestsPerImage").GetDouble(), 0.001, 0.2);
        Assert.InRange(summary.GetProperty("sweepRequestsPerImage").GetDouble(), 0.001, 0.2);
        Assert.True(summary.GetProperty("idleRequestsPerSecond").GetDouble() > 0);
    }

    [Fact]
    public async Task A_backlog_seeded_with_the_pipelines_results_is_skipped_whole_without_captioning()
    {
        var run = await ScriptRunner.RunAsync("bench-scale.sh", TimeSpan.FromMinutes(8), "200", "--quick", "--seed-results", "--no-build");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        var lines = run.OutputLines;
        Assert.Contains(lines, line => line.Contains("with a result each", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("non-forced bulk job", StringComparison.Ordinal) && line.Contains("0 done, 200 skipped, 0 failed of 200", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("sweep of the whole container", StringComparison.Ordinal) && line.Contains("0 done, 200 skipped, 0 failed of 200", StringComparison.Ordinal));
        var summary = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("captionRequestsPerImage").ValueKind);
        Assert.InRange(summary.GetProperty("skipRequestsPerImage").GetDouble(), 0.001, 0.2);
    }
}
