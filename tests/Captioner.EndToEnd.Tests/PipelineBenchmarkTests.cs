using System.Text.Json;
using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>The whole-path benchmark, at its quick size: it starts its own stack, measures every stage and stops it again.</summary>
public sealed class PipelineBenchmarkTests
{
    [Fact]
    public async Task The_quick_pipeline_benchmark_measures_every_path_and_ends_with_one_json_line()
    {
        var run = await ScriptRunner.RunAsync("bench-pipeline.sh", TimeSpan.FromMinutes(8), Path.Combine(RepositoryPaths.Flickr8k, "images"), "12", "--quick", "--no-build");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        var lines = run.OutputLines;
        Assert.Contains(lines, line => line.StartsWith("upload path", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("forced bulk job", StringComparison.Ordinal) && line.Contains("12 done, 0 skipped, 0 failed", StringComparison.Ordinal));
        var summary = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal(12, summary.GetProperty("images").GetInt32());
        foreach (var field in new[] { "inProcessImagesPerSecond", "uploadImagesPerSecond", "bulkImagesPerSecond", "encoderFp32ImagesPerSecond", "encoderInt8ImagesPerSecond" })
        {
            Assert.True(summary.GetProperty(field).GetDouble() > 0, field);
        }

        // Every image went through an encoder batch; the app's own requests were counted.
        Assert.InRange(summary.GetProperty("meanEncoderBatch").GetDouble(), 1, 12);
        Assert.InRange(summary.GetProperty("storageRequestsPerImage").GetDouble(), 2.5, 10);

        // The worker's own CPU was measured on both paths against in-process captioning's.
        Assert.True(summary.GetProperty("inProcessWorkerCpuMs").GetDouble() > 0);
        Assert.InRange(summary.GetProperty("uploadWorkerCpuRatio").GetDouble(), 0.2, 20);
        Assert.InRange(summary.GetProperty("bulkWorkerCpuRatio").GetDouble(), 0.2, 20);
    }
}
