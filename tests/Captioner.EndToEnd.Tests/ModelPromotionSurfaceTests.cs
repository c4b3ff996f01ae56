using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Captioner.Core.Decoding;
using Captioner.Core.Models;
using Captioner.EndToEnd.Tests.Http;
using Captioner.TestSupport;

namespace Captioner.EndToEnd.Tests;

/// <summary>
/// <c>PUT /api/models/current</c> on both hosts (the running local host over HTTP, the Functions app's function in
/// process) against the stack's Azurite: a broken version is refused with 422 and the pointer stays; a good one is made current.
/// </summary>
[Collection(RunningStackGroup.Name)]
public sealed class ModelPromotionSurfaceTests(RunningStack stack, FunctionsAppFixture functionsApp) : IClassFixture<FunctionsAppFixture>, IDisposable
{
    private readonly IHttpSurface[] _hosts = [new LocalHostSurface(stack.Http), functionsApp.Surface(stack.ConnectionString)];
    private readonly string _scratch = Directory.CreateTempSubdirectory("captioner-promote-").FullName;

    [Fact]
    public async Task Both_hosts_refuse_to_make_a_damaged_version_current_with_422_and_make_an_intact_one_current()
    {
        var previous = (await stack.Models.GetCurrentAsync())!.Version;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var damaged = $"damaged-{suffix}";
        var intact = $"intact-{suffix}";
        await UploadDamagedAsync(damaged);
        await stack.Models.PublishAsync(CopyOfDefault(intact), makeCurrent: false);
        try
        {
            foreach (var host in _hosts)
            {
                var refused = await host.SendAsync("PUT", "/api/models/current", Promotion(damaged), "application/json");
                var detail = JsonDocument.Parse(refused.Text).RootElement.GetProperty("detail").GetString()!;

                Assert.Equal(422, refused.Status);
                Assert.StartsWith($"Model version '{damaged}' was not made current: ", detail, StringComparison.Ordinal);
                Assert.Contains($"{DecoderGraphs.StepFile} has SHA-256", detail, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', detail);
                Assert.Equal(previous, (await stack.Models.GetCurrentAsync())!.Version);

                var promoted = await host.SendAsync("PUT", "/api/models/current", Promotion(intact), "application/json");

                Assert.Equal(200, promoted.Status);
                Assert.Equal(intact, (await stack.Models.GetCurrentAsync())!.Version);
                await stack.Models.PromoteAsync(previous);
            }
        }
        finally
        {
            await stack.Models.PromoteAsync(previous);
        }
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static byte[] Promotion(string version) => Encoding.UTF8.GetBytes(new JsonObject { ["version"] = version }.ToJsonString());

    /// <summary>The default model as <paramref name="version"/> with one byte of its step graph changed, uploaded blob by blob as a broken copy would arrive.</summary>
    private async Task UploadDamagedAsync(string version)
    {
        var folder = CopyOfDefault(version);
        var step = Path.Combine(folder, DecoderGraphs.StepFile);
        var bytes = await File.ReadAllBytesAsync(step);
        bytes[^3] ^= 0x33;
        await File.WriteAllBytesAsync(step, bytes);
        var container = stack.Storage.Container(stack.Storage.Names.ModelsContainer);
        foreach (var name in ModelFiles.All.Append(ModelFiles.Manifest).Where(name => File.Exists(Path.Combine(folder, name))))
        {
            await container.GetBlobClient($"{version}/{name}").UploadAsync(Path.Combine(folder, name), overwrite: true);
        }
    }

    private string CopyOfDefault(string version)
    {
        var folder = Path.Combine(_scratch, version);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(RepositoryPaths.DefaultModel))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var manifestPath = Path.Combine(folder, ModelFiles.Manifest);
        File.WriteAllBytes(manifestPath, ModelFiles.Serialize(ModelFiles.Deserialize(File.ReadAllBytes(manifestPath)) with { Version = version }));
        return folder;
    }
}
