using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Azure.Storage.Blobs;
using Captioner.Core.Models;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>
/// The local stack as a user runs it: Azurite, and the local host as a separate process (real
/// WebJobs blob and queue triggers, real HTTP), seeded with the default model. The host can be
/// killed and restarted.
/// </summary>
public sealed class RunningStack : IDisposable
{
    private readonly AzuriteProcess _azurite = new();
    private readonly LocalHostProcess _host;

    public RunningStack()
    {
        Storage = _azurite.CreateClients();
        Results = new ResultStore(Storage.Container(Storage.Names.CaptionsContainer));
        Models = new ModelStore(Storage.Container(Storage.Names.ModelsContainer));
        _host = new LocalHostProcess(
            new Dictionary<string, string>
            {
                [StorageNames.ConnectionSetting] = _azurite.ConnectionString,
                ["Captioner__SeedModel"] = RepositoryPaths.DefaultModel,
                ["Captioner__SourceContainers"] = "images,archive",
                ["Captioner__ModelPollInterval"] = "00:00:02",
                ["Captioner__ReconcileInterval"] = "00:00:20",

                // A killed host's training activity runs again this soon after it was taken (default 5 minutes).
                ["Captioner__Durable__WorkItemVisibilityTimeout"] = "00:00:20",
                ["Captioner__Durable__ControlQueueVisibilityTimeout"] = "00:00:20",
            },
            AzuriteProcess.FreePort(),
            HostOutput.Enqueue);
        StartHost();
    }

    public StorageClients Storage { get; }

    public string ConnectionString => _azurite.ConnectionString;

    public ResultStore Results { get; }

    public ModelStore Models { get; }

    public HttpClient Http => _host.Http;

    public BlobContainerClient Images => Storage.Container(Storage.Names.ImagesContainer);

    public int HostProcessId => _host.ProcessId;

    /// <summary>Every line the host processes wrote (stdout and stderr), across restarts.</summary>
    public ConcurrentQueue<string> HostOutput { get; } = new();

    /// <summary>Starts the local host and waits until it serves a model.</summary>
    public void StartHost() => _host.StartAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();

    /// <summary>Kills the host at once, as a crash would.</summary>
    public void KillHost() => _host.Kill();

    public async Task<string> UploadAsync(string name, byte[] content, BlobContainerClient? container = null)
    {
        var response = await (container ?? Images).GetBlobClient(name).UploadAsync(new BinaryData(content), overwrite: true);
        return response.Value.ETag.ToString();
    }

    /// <summary>Waits until every image has a result for its uploaded content; returns them by name.</summary>
    public async Task<Dictionary<string, CaptionResult>> WaitForResultsAsync(IReadOnlyDictionary<string, string> etags, TimeSpan timeout)
    {
        var found = new Dictionary<string, CaptionResult>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        while (found.Count < etags.Count && clock.Elapsed < timeout)
        {
            foreach (var (name, etag) in etags)
            {
                if (!found.ContainsKey(name) && await Results.GetAsync("images", name) is { } result && result.ETag == etag)
                {
                    found[name] = result;
                }
            }

            if (found.Count < etags.Count)
            {
                await Task.Delay(500);
            }
        }

        return found;
    }

    public void Dispose()
    {
        _host.Dispose();
        _azurite.Dispose();
    }
}

/// <summary>Tests sharing one local stack, run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class RunningStackGroup : ICollectionFixture<RunningStack>
{
    public const string Name = "local stack";
}
