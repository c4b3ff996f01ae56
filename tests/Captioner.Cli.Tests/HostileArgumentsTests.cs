using Captioner.TestSupport;

namespace Captioner.Cli.Tests;

/// <summary>
/// Wrong arguments, as a user types them: each is refused before any work with one <c>error:</c> line and the exit
/// code of its kind (2 the request, 3 the stack cannot be reached, 5 no sign-in or access refused), and no stack trace.
/// </summary>
public sealed class HostileArgumentsTests
{
    private const string Unreachable = "http://127.0.0.1:9";
    private static readonly string Photo = Path.Combine(SharedData.Samples, "chelsea.png");

    public static TheoryData<string[], int, string> Cases => new()
    {
        { ["caption", Photo, "--beam", "0"], 2, "--beam: Beam width must be 1..32." },
        { ["caption", Photo, "--beam", "33"], 2, "--beam: Beam width must be 1..32." },
        { ["caption", Photo, "--beam", "three"], 2, "Cannot parse argument 'three' for option '--beam'" },
        { ["caption", Photo, "--temperature", "0"], 2, "--temperature: Temperature must be a positive number." },
        { ["caption", Photo, "--temperature", "-1"], 2, "--temperature: Temperature must be a positive number." },
        { ["caption", Photo, "--temperature", "NaN"], 2, "--temperature: Temperature must be a positive number." },
        { ["caption", Photo, "--max-words", "0"], 2, "--max-words: Maximum words must be 1..100." },
        { ["caption", Photo, "--max-words", "100000"], 2, "--max-words: Maximum words must be 1..100." },
        { ["caption", Photo, "--temperature", "1", "--top-k", "-1"], 2, "--top-k: Top-k must be 0 (off) or positive." },
        { ["caption", Photo, "--beam", "3", "--temperature", "1"], 2, "Use either --beam or --temperature, not both." },
        { ["caption", Photo, "--beam", "3", "--length-penalty", "-1"], 2, "--length-penalty must be a number >= 0" },
        { ["caption", Photo, "--frobnicate"], 2, "Unrecognized option '--frobnicate'." },
        { ["captoin", Photo], 2, "Unrecognized command or argument 'captoin'." },
        { ["caption"], 2, "Required argument missing for command: 'caption'." },
        { ["caption", Photo, "--model", "/nonexistent-model"], 2, "Model folder '/nonexistent-model' does not exist." },
        { ["eval", "--images", "/x"], 2, "Option '--captions' is required." },
        { ["eval", "--images", "/x", "--captions", "/nonexistent.tsv", "--split", "/nonexistent.txt"], 2, "Could not find file '/nonexistent.tsv'." },
        { ["train", "--images", "/x", "--captions", "/nonexistent.tsv", "--train-split", "/a", "--dev-split", "/b", "--out", "/tmp/never"], 2, "Could not find file '/nonexistent.tsv'." },
        { ["ensemble", "--out", "/tmp/never"], 2, "Required argument missing for command: 'ensemble'." },
        { ["ensemble", "/a", "/b", "--out", "/tmp/never", "--rule", "median"], 2, "--rule must be one of mean-probability, geometric-mean (got 'median')." },
        { ["calibrate-encoder", "--images", "/nonexistent", "--out", "/tmp/never.json"], 2, "no such image folder: /nonexistent" },
        { ["submit", Photo, "--connection", "garbage"], 2, "Settings must be of the form \"name=value\"." },
        { ["bulk", "--api", "not a url"], 2, "Invalid URI" },
        { ["bulk", "--api", Unreachable], 3, "cannot reach the stack: Connection refused" },
        { ["training", "status", "train-x", "--api", Unreachable], 3, "cannot reach the stack at http://127.0.0.1:9" },
        { ["training", "cancel", "train-x", "--api", Unreachable], 3, "cannot reach the stack at http://127.0.0.1:9" },
        { ["submit", Photo, "--connection", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;"], 3, "cannot reach the stack: Connection refused" },
        { ["poison", "list", "nosuch"], 2, "'nosuch' is not a pipeline queue: use image-events, features, caption-requests, bulk-requests." },
        { ["poison", "replay", "features", "--max", "0"], 2, "--max must be at least 1." },
        { ["submit", Photo, "--account", "stcaptioner", "--connection", "UseDevelopmentStorage=true"], 2, "Use either --connection or --account, not both." },
        { ["submit", Photo, "--account", "StCaptioner"], 2, "--account: 'StCaptioner' is not a storage account name: 3 to 24 lowercase letters and digits." },
        { ["submit", Photo, "--account", "st"], 2, "--account: 'st' is not a storage account name" },
        { ["submit", Photo, "--account", "stcaptioner0123456789abcd"], 2, "--account: 'stcaptioner0123456789abcd' is not a storage account name" },
        { ["poison", "list", "features", "--account", "st-captioner"], 2, "--account: 'st-captioner' is not a storage account name" },
        { ["poison", "list", "features", "--account", ""], 2, "--account: '' is not a storage account name" },
        { ["submit", Photo, "--blob-endpoint", "https://127.0.0.1:1/devstoreaccount1"], 2, "--blob-endpoint needs --account" },
        { ["submit", Photo, "--account", "stcaptioner", "--blob-endpoint", "http://127.0.0.1:10000/devstoreaccount1"], 2, "--blob-endpoint: The blob endpoint 'http://127.0.0.1:10000/devstoreaccount1' is not an absolute https URL" },
        { ["poison", "replay", "features", "--account", "stcaptioner", "--queue-endpoint", "queue.example"], 2, "--queue-endpoint: The queue endpoint 'queue.example' is not an absolute https URL" },
        { ["submit", Photo, "--account", "stcaptioner", "--table-endpoint", ""], 2, "--table-endpoint is empty." },
        { ["train", "--remote", "--images", "/x", "--captions", "/x.tsv", "--train-split", "/a", "--dev-split", "/b", "--account", "Bad_Name"], 2, "--account: 'Bad_Name' is not a storage account name" },
        { ["bulk", "--key", ""], 2, "--key is empty" },
        { ["bulk", "--key", "  "], 2, "--key is empty" },
        { ["training", "status", "train-x", "--key", ""], 2, "--key is empty" },
        { ["train", "--remote", "--images", "/x", "--captions", "/x.tsv", "--train-split", "/a", "--dev-split", "/b", "--key", ""], 2, "--key is empty" },
        { ["bulk", "--key", "two words"], 2, "--key: a function key has no spaces or control characters." },
        { ["poison", "list", "features", "--connection", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;"], 3, "cannot reach the stack" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_wrong_argument_is_one_error_line_with_the_exit_code_of_its_kind_and_no_stack_trace(string[] arguments, int exitCode, string expected)
    {
        var result = CliRunner.Run(arguments);

        Assert.Equal(exitCode, result.ExitCode);
        var line = Assert.Single(result.ErrorLines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error + result.Output, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> TrainingOptionCases => new()
    {
        { ["--lr", "-1"], "--lr must be a number in (0, 1] (got -1)." },
        { ["--lr", "NaN"], "--lr must be a number in (0, 1] (got NaN)." },
        { ["--dropout", "1.5"], "--dropout must be in [0, 1) (got 1.5)." },
        { ["--batch", "0"], "--batch must be 1 to 4096 (got 0)." },
        { ["--label-smoothing", "2"], "--label-smoothing must be in [0, 1) (got 2)." },
        { ["--lr-decay", "-3"], "--lr-decay must be in (0, 1] (got -3)." },
        { ["--min-count", "-1"], "--min-count must be 1 to 1000 (got -1)." },
        { ["--hidden", "2000000000"], "--hidden must be 1 to 4096 (got 2000000000)." },
        { ["--threads", "100000"], "--threads must be 0 to 256 (got 100000)." },
        { ["--remote", "--lr", "-1", "--api", Unreachable], "--lr must be a number in (0, 1] (got -1)." },
    };

    [Theory]
    [MemberData(nameof(TrainingOptionCases))]
    public void A_training_option_out_of_range_is_refused_before_the_dataset_is_read(string[] options, string expected)
    {
        var work = Path.Combine(Path.GetTempPath(), "captioner-hostile-" + Guid.NewGuid().ToString("N"));
        var flickr = SharedData.Flickr8k;
        string[] arguments =
        [
            "train", "--images", Path.Combine(flickr, "images"), "--captions", Path.Combine(flickr, "captions.tsv"),
            "--train-split", Path.Combine(flickr, "split_train.txt"), "--dev-split", Path.Combine(flickr, "split_dev.txt"),
            "--out", Path.Combine(work, "model"), "--work-dir", work, .. options,
        ];

        var result = CliRunner.Run(arguments);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Equal("error: " + expected, line);
        Assert.False(Directory.Exists(work), "the feature cache was started");
    }

    [Fact]
    public void An_account_without_an_azure_sign_in_is_one_line_and_exit_code_5()
    {
        // Only the developer sign-ins (az, azd, Visual Studio, VS Code, PowerShell), each reading a home folder that is empty:
        // the same on any machine, signed in or not.
        var home = Directory.CreateTempSubdirectory("captioner-no-sign-in-").FullName;
        try
        {
            var environment = new Dictionary<string, string?> { ["HOME"] = home, ["AZURE_CONFIG_DIR"] = home, ["AZURE_TOKEN_CREDENTIALS"] = "dev" };

            var result = CliRunner.Run(environment, "submit", Photo, "--account", "nosuchacct");

            Assert.Equal(5, result.ExitCode);
            var line = Assert.Single(result.ErrorLines);
            Assert.StartsWith("error: cannot sign in to Azure for storage: DefaultAzureCredential found no usable sign-in", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error + result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void Verbose_prints_the_details_of_an_error()
    {
        var result = CliRunner.Run("bulk", "--api", Unreachable, "--verbose");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("   at ", result.Error, StringComparison.Ordinal);
    }
}
