using System.Diagnostics;
using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>The CLI's stack commands, as a user runs them against the local stack.</summary>
[Collection(RunningStackGroup.Name)]
public sealed class CliAgainstStackTests(RunningStack stack)
{
    [Fact]
    public void Submit_wait_prints_a_caption_per_photo_and_an_error_for_a_broken_one()
    {
        var samples = Path.Combine(RepositoryPaths.SharedData, "samples");
        string[] photos = ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg"];

        var (exit, output, error) = Run(["submit", .. photos.Select(p => Path.Combine(samples, p)), Path.Combine(samples, "truncated.jpg"), "--prefix", "cli", "--wait", "--timeout", "180", "--connection", stack.ConnectionString]);

        Assert.Equal(1, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(photos.Order(), lines.Select(l => l.Split('\t')[0]["cli/".Length..]).Order());
        Assert.All(lines, line => Assert.Matches("^cli/[a-z]+\\.(png|jpg)\t[a-z]+( [a-z0-9]+){2,}\t[0-9.]+s$", line));
        Assert.Contains("cli/truncated.jpg\terror: The image data is truncated", error);
    }

    [Fact]
    public async Task Bulk_wait_follows_a_job_to_completion()
    {
        foreach (var (path, i) in Directory.GetFiles(Path.Combine(RepositoryPaths.Flickr8k, "uploads"), "*.jpg").Order(StringComparer.Ordinal).Take(12).Select((p, i) => (p, i)))
        {
            await stack.UploadAsync($"cli-bulk/{i}.jpg", File.ReadAllBytes(path));
        }

        var (exit, output, _) = Run("bulk", "--prefix", "cli-bulk/", "--force", "--wait", "--api", stack.Http.BaseAddress!.ToString().TrimEnd('/'));

        Assert.Equal(0, exit);
        Assert.Contains("\"total\":12", output.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Contains("\"completed\":true", output.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    private static (int Exit, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Output("Captioner.Cli"), "captioner.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
