using System.Net.Http.Json;
using Azure.Storage.Blobs.Models;
using Captioner.Evaluation.Data;
using Captioner.Core.Storage;
using Captioner.Training;
using Captioner.Training.Orchestration;

namespace Captioner.Cli.Commands;

/// <summary>
/// <c>train --remote</c>: uploads the local dataset into the stack's <c>training</c> container (only
/// what is missing), starts the training orchestration through the API and follows it.
/// </summary>
internal static class RemoteTraining
{
    public static async Task<int> RunAsync(TrainingRequest local, bool force, StorageClients storage, HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var container = storage.Container(storage.Names.TrainingContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var prefix = $"datasets/{local.DatasetName}/";
        var images = CaptionFiles.ReadFile(local.CaptionsFile);
        var wanted = SplitFile.Read(local.TrainSplitFile).Concat(SplitFile.Read(local.DevSplitFile)).ToHashSet(StringComparer.Ordinal);
        var existing = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix + "images/" }, cancellationToken).ConfigureAwait(false))
        {
            existing[blob.Name] = blob.Properties.ContentLength ?? -1;
        }

        var uploads = images.Select(image => image.ImageFile).Where(wanted.Contains)
            .Select(name => (Blob: prefix + "images/" + name, Path: Path.Combine(local.ImagesDirectory, name)))
            .Where(file => !existing.TryGetValue(file.Blob, out var length) || length != new FileInfo(file.Path).Length)
            .ToList();
        Console.WriteLine($"uploading {uploads.Count} image(s) to {container.Name}/{prefix}images/ ({existing.Count} there already)");
        await Parallel.ForEachAsync(uploads, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (file, token) =>
            await container.GetBlobClient(file.Blob).UploadAsync(file.Path, overwrite: true, token).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var (file, name) in new[] { (local.CaptionsFile, "captions.tsv"), (local.TrainSplitFile, "train.txt"), (local.DevSplitFile, "dev.txt") })
        {
            await container.GetBlobClient(prefix + name).UploadAsync(file, overwrite: true, cancellationToken).ConfigureAwait(false);
        }

        var request = new TrainingJobRequest
        {
            Container = container.Name,
            ImagesPrefix = prefix + "images/",
            Captions = prefix + "captions.tsv",
            Format = "tsv",
            TrainSplit = prefix + "train.txt",
            DevSplit = prefix + "dev.txt",
            DatasetName = local.DatasetName,
            Version = local.Version,
            Force = force,
            Options = local.Options,
        };
        using var response = await http.PostAsJsonAsync("/api/training", request, TrainingFollower.Json, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"error: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
            return 2;
        }

        var accepted = await response.Content.ReadFromJsonAsync<TrainingAccepted>(TrainingFollower.Json, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"training job {accepted!.Id}: {accepted.StatusUri}");
        return await TrainingFollower.FollowAsync(http, accepted.Id, cancellationToken).ConfigureAwait(false);
    }
}
