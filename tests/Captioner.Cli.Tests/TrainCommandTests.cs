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
    public void Training_status_without_a_running_stack_says_it_cannot_reach_it()
    {
        var result = CliRunner.Run("training", "status", "train-x", "--api", "http://127.0.0.1:9");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("error: cannot reach the stack at http://127.0.0.1:9", result.Error, StringComparison.Ordinal);
    }
}
