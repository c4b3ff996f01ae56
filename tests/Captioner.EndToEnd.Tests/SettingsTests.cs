using System.Diagnostics;
using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>Wrong settings stop the local host at start with one line that names the setting, and no stack trace.</summary>
public sealed class SettingsTests
{
    private const string Connection = "UseDevelopmentStorage=true";

    [Theory]
    [InlineData("AzureWebJobsStorage", "garbage", "AzureWebJobsStorage is not a storage connection string")]
    [InlineData("AzureWebJobsStorage", "", "Set AzureWebJobsStorage")]
    [InlineData("Captioner__Limits__MaxBytes", "-5", "Captioner:Limits:MaxBytes must be positive")]
    [InlineData("Captioner__Limits__MaxBytes", "lots", "'Captioner:Limits:MaxBytes'")]
    [InlineData("Captioner__Decoding__Mode", "fancy", "Captioner:Decoding: Unknown decoding mode 'fancy'")]
    [InlineData("Captioner__Decoding__BeamWidth", "0", "Captioner:Decoding: Beam width must be 1..32.")]
    [InlineData("Captioner__ModelPollInterval", "-00:00:05", "Captioner:ModelPollInterval must be positive")]
    [InlineData("Captioner__Batching__Encoder__MaxBatch", "0", "Captioner:Batching:Encoder:MaxBatch must be at least 1")]
    [InlineData("Captioner__Encoder__Precision", "int4", "Captioner:Encoder:Precision must be auto, fp32 or int8")]
    [InlineData("Captioner__SeedModel", "/", "Captioner:SeedModel: the folder '/' does not hold a model that verifies")]
    [InlineData("Captioner__Storage__NetworkTimeout", "00:00:00", "Captioner:Storage:NetworkTimeout must be 1 second to 10 minutes")]
    [InlineData("Captioner__TrainingApiUrl", "ftp://example.org", "Captioner:TrainingApiUrl must be empty or an absolute http(s) address")]
    [InlineData("Captioner__Storage__MaxRetries", "-1", "Captioner:Storage:MaxRetries must be 0 to 10, not -1.")]
    [InlineData("Captioner__Storage__NetworkTimeout", "soon", "'Captioner:Storage:NetworkTimeout'")]
    [InlineData("Captioner__SourceContainers", "images,azure-webjobs-secrets", "Captioner:SourceContainers: 'azure-webjobs-secrets' holds the app's or the Functions host's own data")]
    [InlineData("Captioner__SourceContainers", "archive", "Captioner:SourceContainers must include 'images'")]
    [InlineData("Captioner__MaxRunningTrainingJobs", "0", "Captioner:MaxRunningTrainingJobs must be 1..100")]
    [InlineData("Captioner__UnsureBelow", "1.5", "Captioner:UnsureBelow must be 0..1")]
    [InlineData("Captioner__Durable__TaskHub", "no-dashes", "Captioner:Durable:TaskHub must be 3 to 45 letters and digits starting with a letter")]
    [InlineData("Captioner__Durable__SidecarPort", "many", "'Captioner:Durable:SidecarPort'")]
    [InlineData("Captioner__Gallery__MaxConcurrentImageRequests", "0", "MaxConcurrentImageRequests is 1..1024")]
    [InlineData("ASPNETCORE_URLS", "http://0.0.0.0:7399", "http://0.0.0.0:7399 is not a loopback address; the local host has no keys, so listening there needs Captioner__LocalHost__AllowRemote=true.")]
    [InlineData("ASPNETCORE_URLS", "http://+:7399", "is not a loopback address")]
    [InlineData("Captioner__LocalHost__AllowRemote", "maybe", "'Captioner:LocalHost:AllowRemote'")]
    public async Task A_wrong_setting_stops_the_host_at_start_with_one_line_naming_it(string setting, string value, string expected)
    {
        var (exitCode, line) = await RunHostAsync(setting, value);

        Assert.Equal((2, true), (exitCode, line.Contains(expected, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Storage_that_does_not_answer_stops_the_host_at_start_with_one_line_and_exit_code_3()
    {
        var port = AzuriteProcess.FreePort();
        var (exitCode, line) = await RunHostAsync("AzureWebJobsStorage", $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;");

        Assert.Equal(3, exitCode);
        Assert.StartsWith($"error: Storage at http://127.0.0.1:{port} ", line, StringComparison.Ordinal);
    }

    /// <summary>Starts the host with one setting changed; returns its exit code and its one <c>error:</c> line (none other, no stack trace).</summary>
    private static async Task<(int ExitCode, string Line)> RunHostAsync(string setting, string value)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Output("Captioner.LocalHost"), "Captioner.LocalHost.dll"));
        start.Environment["AzureWebJobsStorage"] = Connection;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{AzuriteProcess.FreePort()}";
        start.Environment[setting] = value;
        using var host = Process.Start(start)!;
        var output = host.StandardOutput.ReadToEndAsync();
        var error = host.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await host.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            host.Kill(entireProcessTree: true);
            Assert.Fail($"The host kept running with {setting}={value}.");
        }

        var everything = await output + await error;
        var line = Assert.Single(everything.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", everything, StringComparison.Ordinal);
        return (host.ExitCode, line);
    }
}
