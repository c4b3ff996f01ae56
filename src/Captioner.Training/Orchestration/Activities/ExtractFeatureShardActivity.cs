using System.Diagnostics;
using Captioner.Core.Features;
using Captioner.Training.Data;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Captioner.Training.Orchestration.Activities;

/// <summary>Input of <see cref="ExtractFeatureShardActivity"/>.</summary>
public sealed record ExtractFeatureShardInput(string JobId, FeatureShard Shard);

/// <summary>What <see cref="ExtractFeatureShardActivity"/> did: encoded the shard, or found it written by an earlier run.</summary>
public sealed record FeatureShardResult(string Split, int Index, int Images, bool Skipped, double Seconds);

/// <summary>
/// Encodes one shard of a split's images with the same preprocessing and encoder as the captioning
/// pipeline and writes one features blob. A shard already written is skipped, so a rerun only does
/// what is left.
/// </summary>
public sealed class ExtractFeatureShardActivity(TrainingWorkspace workspace, ImageFeaturizer featurizer, ILogger<ExtractFeatureShardActivity> logger)
    : TaskActivity<ExtractFeatureShardInput, FeatureShardResult>
{
    public override async Task<FeatureShardResult> RunAsync(TaskActivityContext context, ExtractFeatureShardInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (split, index, start, count) = input.Shard;
        var blobName = TrainingWorkspace.ShardBlob(input.JobId, split, index);
        if (await workspace.ExistsAsync(blobName, CancellationToken.None).ConfigureAwait(false))
        {
            return new FeatureShardResult(split, index, count, Skipped: true, 0);
        }

        var clock = Stopwatch.StartNew();
        var dataset = await workspace.LoadDatasetAsync(input.JobId, CancellationToken.None).ConfigureAwait(false);
        var names = dataset.Split(split).Skip(start).Take(count).Select(image => image.ImageFile).ToArray();
        var container = workspace.DatasetContainer(dataset.Container);
        var images = new byte[names.Length][];
        await Parallel.ForEachAsync(Enumerable.Range(0, names.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
        {
            var content = await container.GetBlobClient(dataset.ImagesPrefix + names[i]).DownloadContentAsync(token).ConfigureAwait(false);
            images[i] = content.Value.Content.ToArray();
        }).ConfigureAwait(false);

        var results = featurizer.Featurize(names.Length, i => images[i]);
        var failed = results.Select((result, i) => (result, i)).Where(x => !x.result.Succeeded).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidDataException(
                $"{failed.Count} image(s) of the {split} split could not be read: {string.Join("; ", failed.Take(5).Select(x => $"{names[x.i]}: {x.result.Error}"))}");
        }

        var features = ImageFeatureSet.From(results);
        using var stream = new MemoryStream();
        FeatureFile.Write(stream, names, features);
        await workspace.UploadAsync(blobName, BinaryData.FromBytes(stream.ToArray()), CancellationToken.None).ConfigureAwait(false);
        logger.FeatureShardEncoded(input.JobId, split, index, names.Length, clock.Elapsed.TotalSeconds);
        return new FeatureShardResult(split, index, names.Length, Skipped: false, Math.Round(clock.Elapsed.TotalSeconds, 2));
    }
}
