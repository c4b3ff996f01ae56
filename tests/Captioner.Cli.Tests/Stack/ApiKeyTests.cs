namespace Captioner.Cli.Tests.Stack;

/// <summary>
/// <c>--key</c> (default <c>$CAPTIONER_API_KEY</c>) against a small HTTP server standing in for the deployed API:
/// the key arrives as <c>x-functions-key</c> on every request, and a refusal is one line with exit code 5.
/// </summary>
public sealed class ApiKeyTests
{
    private const string BulkAccepted = """{"statusUrl":"/api/bulk/b1"}""";
    private const string BulkDone = """{"total":1,"done":1,"skipped":0,"failed":0,"completed":true}""";
    private const string TrainingDone = """{"id":"t1","runtimeStatus":"Completed","createdAt":"2026-01-01T00:00:00Z","lastUpdatedAt":"2026-01-01T00:00:00Z","status":null,"output":null,"error":null}""";

    private static Dictionary<string, string?> WithoutKeyVariable() => new() { ["CAPTIONER_API_KEY"] = null };

    [Fact]
    public void Bulk_sends_the_key_as_x_functions_key_on_every_request()
    {
        using var api = new LoopbackHttpServer(request => request.Method == "POST" ? (202, BulkAccepted) : (200, BulkDone));

        var result = CliRunner.Run(WithoutKeyVariable(), "bulk", "--wait", "--api", api.Address, "--key", "k-bulk");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["POST /api/bulk", "GET /api/bulk/b1"], api.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        Assert.All(api.Requests, request => Assert.Equal("k-bulk", request.Header("x-functions-key")));
    }

    [Fact]
    public void The_key_comes_from_CAPTIONER_API_KEY_when_key_is_not_given()
    {
        using var api = new LoopbackHttpServer(_ => (200, TrainingDone));

        var result = CliRunner.Run(new Dictionary<string, string?> { ["CAPTIONER_API_KEY"] = "k-from-env" }, "training", "status", "t1", "--api", api.Address);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("k-from-env", Assert.Single(api.Requests).Header("x-functions-key"));
    }

    [Fact]
    public void Without_a_key_no_key_header_is_sent_as_the_local_host_needs_none()
    {
        using var api = new LoopbackHttpServer(_ => (202, BulkAccepted));

        var result = CliRunner.Run(WithoutKeyVariable(), "bulk", "--api", api.Address);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Null(Assert.Single(api.Requests).Header("x-functions-key"));
    }

    public static TheoryData<string[], int, string> Refusals => new()
    {
        { ["bulk", "--key", "wrong"], 401, "error: the API refused the key (401 Unauthorized): check --key or $CAPTIONER_API_KEY" },
        { ["bulk"], 401, "error: the API refused the key (401 Unauthorized): none was given" },
        { ["training", "status", "t1", "--key", "wrong"], 403, "error: the API refused the key (403 Forbidden)" },
        { ["training", "cancel", "t1", "--key", "wrong"], 401, "error: the API refused the key (401 Unauthorized)" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_refused_key_is_one_line_and_exit_code_5(string[] arguments, int status, string expected)
    {
        using var api = new LoopbackHttpServer(_ => (status, """{"error":"no"}"""));

        var result = CliRunner.Run(WithoutKeyVariable(), [.. arguments, "--api", api.Address]);

        Assert.Equal(5, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.Single(api.Requests);
    }
}
