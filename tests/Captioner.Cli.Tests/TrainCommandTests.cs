namespace Captioner.Cli.Tests;

public class TrainCommandTests
{
    [Fact]
    public void Train_without_an_output_folder_or_remote_says_which_is_needed()
    {
        var result = CliRunner.Run("train", "--images", ".", "--captions", "c.tsv", "--train-split", "t.txt", "--dev-split", "d.txt");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out is required (or --remote", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_training_checks_its_splits_as_the_training_job_does_before_any_image_is_encoded()
    {
        var work = Directory.CreateTempSubdirectory("captioner-train-splits-").FullName;
        try
        {
            // Flickr8k's token format (read like the job reads it) and one image in both splits.
            File.WriteAllText(Path.Combine(work, "captions.txt"), "a.jpg#0\ta dog runs\nb.jpg#0\ta cat sits\n");
            File.WriteAllText(Path.Combine(work, "train.txt"), "a.jpg\nb.jpg\n");
            File.WriteAllText(Path.Combine(work, "dev.txt"), "b.jpg\n");
            var cache = Path.Combine(work, "work");

            var result = CliRunner.Run(
                "train", "--images", work, "--captions", Path.Combine(work, "captions.txt"), "--train-split", Path.Combine(work, "train.txt"),
                "--dev-split", Path.Combine(work, "dev.txt"), "--out", Path.Combine(work, "model"), "--work-dir", cache);

            Assert.Equal(2, result.ExitCode);
            Assert.Equal("error: Images are in both the train and the dev split, e.g. b.jpg.", Assert.Single(result.ErrorLines));
            Assert.False(Directory.Exists(Path.Combine(cache, "features")), "features were extracted");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Theory]
    [InlineData("--dataset-name", "../\u0000x", "error: --dataset-name must be 1 to 64 letters, digits")]
    [InlineData("--version", "a/b", "error: --version must be 1 to 128 letters, digits")]
    public void An_unsafe_dataset_name_or_version_is_refused_before_any_work(string option, string value, string reason)
    {
        var result = CliRunner.Run("train", "--images", ".", "--captions", "c.tsv", "--train-split", "t.txt", "--dev-split", "d.txt", "--out", "m", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(reason, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Fine_tuning_from_a_folder_that_is_not_a_model_says_so()
    {
        var work = Directory.CreateTempSubdirectory("captioner-train-from-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(work, "captions.tsv"), "a.jpg\ta dog runs\nb.jpg\ta cat sits\n");
            File.WriteAllText(Path.Combine(work, "train.txt"), "a.jpg\n");
            File.WriteAllText(Path.Combine(work, "dev.txt"), "b.jpg\n");

            var result = CliRunner.Run(
                "train", "--from", Path.Combine(work, "no-model"), "--images", work, "--captions", Path.Combine(work, "captions.tsv"), "--train-split", Path.Combine(work, "train.txt"),
                "--dev-split", Path.Combine(work, "dev.txt"), "--out", Path.Combine(work, "model"), "--work-dir", Path.Combine(work, "work"));

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("no-model' does not exist", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void Teacher_captions_are_refused_for_the_training_job_which_reads_human_captions_only()
    {
        var result = CliRunner.Run("train", "--images", ".", "--captions", "c.tsv", "--train-split", "t.txt", "--dev-split", "d.txt", "--remote", "--teacher-captions", "teacher.tsv", "--api", "http://127.0.0.1:9");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --teacher-captions is for local training; the training job reads human captions only.", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void Training_status_without_a_running_stack_says_it_cannot_reach_it()
    {
        var result = CliRunner.Run("training", "status", "train-x", "--api", "http://127.0.0.1:9");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("error: cannot reach the stack at http://127.0.0.1:9", result.Error, StringComparison.Ordinal);
    }
}
