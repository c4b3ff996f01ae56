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

        var (exit, output, error) = CliRunner.Run(["submit", .. photos.Select(p => Path.Combine(samples, p)), Path.Combine(samples, "truncated.jpg"), "--prefix", "cli", "--wait", "--timeout", "180", "--connection", stack.ConnectionString]);

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

        var (exit, output, _) = CliRunner.Run("bulk", "--prefix", "cli-bulk/", "--force", "--wait", "--api", stack.Http.BaseAddress!.ToString().TrimEnd('/'));

        Assert.Equal(0, exit);
        Assert.Contains("\"total\":12", output.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Contains("\"completed\":true", output.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Train_remote_uploads_the_dataset_follows_the_job_and_training_status_shows_the_outcome()
    {
        var folder = Directory.CreateTempSubdirectory("captioner-cli-train-").FullName;
        try
        {
            var train = Path.Combine(folder, "train.txt");
            var dev = Path.Combine(folder, "dev.txt");
            File.WriteAllLines(train, File.ReadLines(Path.Combine(RepositoryPaths.Flickr8k, "split_train.txt")).Skip(1000).Take(60));
            File.WriteAllLines(dev, File.ReadLines(Path.Combine(RepositoryPaths.Flickr8k, "split_dev.txt")).Skip(500).Take(20));
            var api = stack.Http.BaseAddress!.ToString().TrimEnd('/');

            var (exit, output, error) = CliRunner.Run(
                "train", "--remote", "--api", api, "--connection", stack.ConnectionString, "--dataset-name", "cli-tiny",
                "--images", Path.Combine(RepositoryPaths.Flickr8k, "images"), "--captions", Path.Combine(RepositoryPaths.Flickr8k, "captions.tsv"),
                "--train-split", train, "--dev-split", dev, "--epochs", "2", "--self-critical-epochs", "1", "--min-count", "3", "--embedding", "32", "--hidden", "64", "--attention-size", "32", "--threads", "1");

            Assert.True(exit == 0, output + error);
            Assert.Contains("uploading 80 image(s) to training/datasets/cli-tiny/images/", output, StringComparison.Ordinal);
            // Two cross-entropy epochs and a self-critical one (the job is too quick for every epoch line to be seen).
            Assert.Contains("epochs 3, best ", output, StringComparison.Ordinal);

            // A tiny model is worse than the default one on dev: published, not promoted.
            Assert.Matches("model cli-tiny-[0-9-]+: not promoted \\(kept ", output);
            var id = System.Text.RegularExpressions.Regex.Match(output, "training job (train-[0-9a-f-]+):").Groups[1].Value;
            var status = CliRunner.Run("training", "status", id, "--api", api);
            Assert.Equal(0, status.ExitCode);
            Assert.Contains($"job {id}: Completed", status.Output, StringComparison.Ordinal);
            Assert.Equal(2, CliRunner.Run("training", "status", "no-such-job", "--api", api).ExitCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
