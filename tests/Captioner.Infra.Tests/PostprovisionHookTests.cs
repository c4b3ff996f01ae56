using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Captioner.TestSupport;

namespace Captioner.Infra.Tests;

/// <summary>
/// infra/hooks/postprovision.sh run as a script against a real Azurite over HTTPS with bearer tokens (what the storage
/// account takes: no shared keys), with a stand-in `az` that hands out a token. Every test gets fresh storage.
/// </summary>
public sealed class PostprovisionHookTests : IDisposable
{
    private readonly LoopbackCertificate _certificate = new();
    private readonly AzuriteProcess _azurite;
    private readonly BlobContainerClient _models;
    private readonly string _version = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.DefaultModel, "manifest.json")))!["version"]!;

    public PostprovisionHookTests()
    {
        _azurite = new AzuriteProcess(_certificate);
        var storage = _azurite.CreateClients();
        _models = storage.Container(storage.Names.ModelsContainer);
    }

    [Fact]
    public void First_run_publishes_every_file_of_the_default_model_then_points_current_json_at_it()
    {
        var (exitCode, log) = RunHook();

        Assert.True(exitCode == 0, log);
        AssertPublished();
        Assert.Contains($"models/current.json -> {_version}", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Rerun_after_a_run_that_stopped_midway_finishes_the_upload_and_writes_the_pointer()
    {
        // What a run cut short after its first upload leaves: one blob of the version, no pointer.
        Upload($"{_version}/manifest.json", File.ReadAllBytes(Path.Combine(RepositoryPaths.DefaultModel, "manifest.json")));

        var (exitCode, log) = RunHook();

        Assert.True(exitCode == 0, log);
        Assert.Contains($"models/{_version}/manifest.json already published", log, StringComparison.Ordinal);
        AssertPublished();
    }

    [Fact]
    public void Rerun_after_a_finished_run_changes_nothing()
    {
        Assert.Equal(0, RunHook().ExitCode);
        var pointer = _models.GetBlobClient("current.json").GetProperties().Value.ETag;

        var (exitCode, log) = RunHook();

        Assert.True(exitCode == 0, log);
        Assert.Contains("the current model is kept", log, StringComparison.Ordinal);
        Assert.Equal(pointer, _models.GetBlobClient("current.json").GetProperties().Value.ETag);
    }

    [Fact]
    public void A_different_blob_under_the_versions_name_is_not_overwritten_and_no_pointer_is_written()
    {
        Upload($"{_version}/vocab.json", Encoding.UTF8.GetBytes("{}"));

        var (exitCode, log) = RunHook();

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"models/{_version}/vocab.json exists with other content", log, StringComparison.Ordinal);
        Assert.Equal("{}", _models.GetBlobClient($"{_version}/vocab.json").DownloadContent().Value.Content.ToString());
        Assert.False(_models.GetBlobClient("current.json").Exists().Value);
    }

    public void Dispose()
    {
        _azurite.Dispose();
        _certificate.Dispose();
    }

    private void Upload(string name, byte[] content) => _models.GetBlobClient(name).Upload(new BinaryData(content));

    private void AssertPublished()
    {
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.DefaultModel))
        {
            Assert.Equal(File.ReadAllBytes(file), _models.GetBlobClient($"{_version}/{Path.GetFileName(file)}").DownloadContent().Value.Content.ToArray());
        }

        var pointer = JsonNode.Parse(_models.GetBlobClient("current.json").DownloadContent().Value.Content.ToString())!;
        Assert.Equal(_version, (string?)pointer["version"]);
    }

    /// <summary>Runs the hook as azd would, from the repository root, with a stand-in az that prints a storage token.</summary>
    private (int ExitCode, string Log) RunHook()
    {
        var bin = Directory.CreateTempSubdirectory("captioner-hook-");
        try
        {
            var az = Path.Combine(bin.FullName, "az");
            File.WriteAllText(az, $"#!/bin/sh\ncase \"$*\" in *get-access-token*) echo '{StorageToken()}' ;; *) exit 2 ;; esac\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var start = new ProcessStartInfo("sh", "infra/hooks/postprovision.sh") { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["PATH"] = bin.FullName + ":" + Environment.GetEnvironmentVariable("PATH");
            start.Environment["STORAGE_ACCOUNT_NAME"] = AzuriteProcess.AccountName;
            start.Environment["STORAGE_BLOB_ENDPOINT"] = _azurite.BlobEndpoint + "/";
            start.Environment["CURL_CA_BUNDLE"] = _certificate.CertificatePath;
            start.Environment["CAPTIONER_HOOK_RETRY_SECONDS"] = "1";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the hook did not finish in 2 minutes");
            return (process.ExitCode, output.Result + error.Result);
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }

    /// <summary>A bearer token with the claims Azurite checks (--oauth basic: audience, issuer, lifetime; not the signature).</summary>
    private static string StorageToken()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["aud"] = "https://storage.azure.com",
            ["iss"] = "https://sts.windows.net/00000000-0000-0000-0000-00000000c0de/",
            ["iat"] = now - 60,
            ["nbf"] = now - 60,
            ["exp"] = now + 3600,
            ["oid"] = "00000000-0000-0000-0000-0000000000aa",
        });
        return $"{Base64Url("""{"alg":"RS256","typ":"JWT"}""")}.{Base64Url(claims)}.{Base64Url("unsigned")}";
    }

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
