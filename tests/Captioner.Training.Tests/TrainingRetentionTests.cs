using Captioner.Training.Orchestration;
using Captioner.TestSupport;

namespace Captioner.Training.Tests;

public sealed class TrainingRetentionTests
{
    [Fact]
    public async Task Workspaces_idle_since_before_the_cutoff_are_deleted_and_the_rest_of_the_container_kept()
    {
        using var azurite = new AzuriteProcess();
        var storage = azurite.CreateClients();
        var training = storage.Container(storage.Names.TrainingContainer);
        await training.CreateIfNotExistsAsync();
        foreach (var name in new[] { "jobs/train-a/dataset.json", "jobs/train-a/checkpoints/chunk-1.bin", "jobs/train-b/dataset.json", "datasets/mine/captions.tsv" })
        {
            await training.GetBlobClient(name).UploadAsync(BinaryData.FromString("x"));
        }

        Assert.Equal(0, await TrainingRetention.DeleteIdleJobsAsync(training, DateTimeOffset.UtcNow.AddDays(-30)));
        Assert.Equal(2, await TrainingRetention.DeleteIdleJobsAsync(training, DateTimeOffset.UtcNow.AddDays(1)));

        var left = new List<string>();
        await foreach (var blob in training.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, CancellationToken.None))
        {
            left.Add(blob.Name);
        }

        Assert.Equal(["datasets/mine/captions.tsv"], left);
    }
}
