using Azure;
using Azure.Storage.Blobs.Models;
using Captioner.Evaluation.Data;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Captioner.Training.Orchestration.Activities;

/// <summary>Input of <see cref="PrepareDatasetActivity"/>.</summary>
public sealed record PrepareDatasetInput(string JobId, TrainingJobRequest Request);

/// <summary>
/// Reads the captions file (TSV, Flickr8k token or COCO JSON) and the split files, splits, checks that
/// every captioned image of the splits exists as a blob, and writes the job's <c>dataset.json</c>.
/// Bad datasets fail here with <see cref="InvalidDataException"/>, naming what is wrong.
/// </summary>
public sealed class PrepareDatasetActivity(TrainingWorkspace workspace, ILogger<PrepareDatasetActivity> logger) : TaskActivity<PrepareDatasetInput, DatasetSummary>
{
    public override async Task<DatasetSummary> RunAsync(TaskActivityContext context, PrepareDatasetInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;

        // Checked again where the job starts work: a request may reach the job without the HTTP API (a queued start).
        if (request.Validate(workspace.Container.Name) is { } problem)
        {
            throw new InvalidDataException(problem);
        }

        var container = workspace.DatasetContainer(request.Container);
        var format = CaptionFiles.ParseFormat(request.Format);
        var captionsText = await ReadTextAsync(container, request.Captions, "captions file").ConfigureAwait(false);
        if (format == CaptionFileFormat.Auto && !string.IsNullOrWhiteSpace(captionsText))
        {
            format = CaptionFiles.Detect(captionsText, request.Captions);
        }

        var all = CaptionFiles.Read(captionsText, request.Captions, format);
        var trainNames = request.TrainSplit is { Length: > 0 } trainSplit ? await ReadNamesAsync(container, trainSplit, "train split").ConfigureAwait(false) : null;
        var devNames = request.DevSplit is { Length: > 0 } devSplit ? await ReadNamesAsync(container, devSplit, "dev split").ConfigureAwait(false) : null;
        var (train, dev) = DatasetSplit.Split(all, trainNames, devNames, request.DevFraction);

        var existing = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = request.ImagesPrefix }).ConfigureAwait(false))
        {
            existing.Add(blob.Name[request.ImagesPrefix.Length..]);
        }

        var missing = train.Concat(dev).Select(image => image.ImageFile).Where(name => !existing.Contains(name)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException(
                $"{missing.Count} captioned image(s) are missing from '{request.Container}/{request.ImagesPrefix}': {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", ..." : string.Empty)}");
        }

        await workspace.UploadJsonAsync(TrainingWorkspace.DatasetBlob(input.JobId), new PreparedDataset(request.Container, request.ImagesPrefix, train, dev), CancellationToken.None).ConfigureAwait(false);
        var shards = Shards("train", train.Count, request.ShardSize).Concat(Shards("dev", dev.Count, request.ShardSize)).ToList();
        logger.DatasetPrepared(input.JobId, train.Count, dev.Count, format, shards.Count);
        return new DatasetSummary(format.ToString(), train.Count, dev.Count, train.Sum(i => i.Captions.Count), dev.Sum(i => i.Captions.Count), shards);
    }

    private static IEnumerable<FeatureShard> Shards(string split, int count, int size) =>
        Enumerable.Range(0, (count + size - 1) / size).Select(index => new FeatureShard(split, index, index * size, Math.Min(size, count - (index * size))));

    private static async Task<string> ReadTextAsync(Azure.Storage.Blobs.BlobContainerClient container, string name, string what)
    {
        try
        {
            var content = await container.GetBlobClient(name).DownloadContentAsync().ConfigureAwait(false);
            return content.Value.Content.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new InvalidDataException($"The {what} '{container.Name}/{name}' does not exist.", ex);
        }
    }

    private static async Task<IReadOnlyList<string>> ReadNamesAsync(Azure.Storage.Blobs.BlobContainerClient container, string name, string what) =>
        [.. (await ReadTextAsync(container, name, what).ConfigureAwait(false)).Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0)];
}
