namespace Captioner.Cli.Tests.Stack;

/// <summary>
/// <c>--account</c> against Azurite over HTTPS with OAuth: the CLI's own DefaultAzureCredential gets a token from a
/// managed identity endpoint and storage checks it. What Azurite cannot show: that a real Entra ID token is accepted
/// by a real account with shared keys off, and the role assignments (Azurite checks no roles).
/// </summary>
public sealed class EntraIdStorageTests(HttpsAzurite stack) : IClassFixture<HttpsAzurite>
{
    private static readonly string Photo = Path.Combine(SharedData.Samples, "chelsea.png");

    [Fact]
    public async Task Submit_with_an_account_uploads_over_https_signed_in_with_a_token()
    {
        var result = CliRunner.Run(stack.Environment(), ["submit", Photo, "--prefix", "entra", .. stack.AccountArguments()]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(await stack.Storage.Container(stack.Storage.Names.ImagesContainer).GetBlobClient("entra/chelsea.png").ExistsAsync());
        Assert.Contains(stack.TokenRequests, request => Uri.UnescapeDataString(request.PathAndQuery).Contains("resource=https://storage.azure.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Poison_list_with_an_account_reads_the_queue_signed_in_with_a_token()
    {
        await stack.Storage.Queue("features-poison").SendMessageAsync("""{"error":"entra test","message":"{}","truncated":false}""");

        var result = CliRunner.Run(stack.Environment(), ["poison", "list", "features", .. stack.AccountArguments()]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("entra test", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_remote_with_an_account_and_a_key_uploads_the_dataset_with_a_token_and_sends_the_key_to_the_api()
    {
        using var api = new LoopbackHttpServer(request => request.Method == "POST"
            ? (202, """{"id":"t1","statusUri":"/api/training/t1","terminateUri":"/api/training/t1/terminate"}""")
            : (200, """{"id":"t1","runtimeStatus":"Completed","createdAt":"2026-01-01T00:00:00Z","lastUpdatedAt":"2026-01-01T00:00:00Z","status":null,"output":null,"error":null}"""));
        var dataset = Directory.CreateTempSubdirectory("captioner-entra-dataset-").FullName;
        try
        {
            File.Copy(Photo, Path.Combine(dataset, "chelsea.png"));
            File.WriteAllText(Path.Combine(dataset, "captions.tsv"), "chelsea.png\ta cat sits on a table\n");
            File.WriteAllText(Path.Combine(dataset, "split.txt"), "chelsea.png\n");

            var result = CliRunner.Run(stack.Environment(),
            [
                "train", "--remote", "--images", dataset, "--captions", Path.Combine(dataset, "captions.tsv"), "--train-split", Path.Combine(dataset, "split.txt"),
                "--dev-split", Path.Combine(dataset, "split.txt"), "--dataset-name", "entra", "--api", api.Address, "--key", "k-train", .. stack.AccountArguments(),
            ]);

            Assert.True(result.ExitCode == 0, result.Error);
            var training = stack.Storage.Container(stack.Storage.Names.TrainingContainer);
            Assert.True(await training.GetBlobClient("datasets/entra/images/chelsea.png").ExistsAsync());
            Assert.True(await training.GetBlobClient("datasets/entra/captions.tsv").ExistsAsync());
            Assert.Equal(["POST /api/training", "GET /api/training/t1"], api.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
            Assert.All(api.Requests, request => Assert.Equal("k-train", request.Header("x-functions-key")));
        }
        finally
        {
            Directory.Delete(dataset, recursive: true);
        }
    }

    [Fact]
    public async Task A_token_the_account_refuses_is_one_line_and_exit_code_5()
    {
        var result = CliRunner.Run(stack.Environment(ManagedIdentityEndpoint.WrongAudienceToken), ["submit", Photo, "--prefix", "refused", .. stack.AccountArguments()]);

        Assert.Equal(5, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: storage refused the credentials (403)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(await stack.Storage.Container(stack.Storage.Names.ImagesContainer).GetBlobClient("refused/chelsea.png").ExistsAsync());
    }

    [Fact]
    public void An_account_endpoint_that_does_not_answer_is_one_line_and_exit_code_3()
    {
        var result = CliRunner.Run(stack.Environment(), ["submit", Photo, .. stack.AccountArguments(blobEndpoint: $"https://127.0.0.1:1/{AzuriteProcess.AccountName}")]);

        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: cannot reach the stack", line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_identity_endpoint_that_refuses_is_one_line_and_exit_code_5()
    {
        var result = CliRunner.Run(stack.Environment(identityHeader: "not-this-app"), ["submit", Photo, .. stack.AccountArguments()]);

        Assert.Equal(5, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: cannot sign in to Azure for storage", line, StringComparison.Ordinal);
    }
}
