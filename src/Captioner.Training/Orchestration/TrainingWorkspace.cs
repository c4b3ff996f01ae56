using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Captioner.Core.Models;
using Captioner.Core.Storage;
using Captioner.Core.Vocabulary;
using Captioner.Training.Data;

namespace Captioner.Training.Orchestration;

/// <summary>
/// The blobs of training jobs (<c>training/jobs/{id}/...</c>: dataset, vocabulary, feature shards,
/// checkpoints, the exported model) and a local scratch folder that caches the immutable ones, so an
/// activity in any process can pick up where another left off.
/// </summary>
public sealed class TrainingWorkspace
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _downloads = new(StringComparer.Ordinal);

    /// <param name="storage">The storage account's clients.</param>
    /// <param name="models">The model store the workers load from (the same download limits).</param>
    /// <param name="scratchRoot">Where the local copies go; a folder under the temp folder when null.</param>
    public TrainingWorkspace(StorageClients storage, ModelStore models, string? scratchRoot = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(models);
        Container = storage.Container(storage.Names.TrainingContainer);
        Models = models;
        ScratchRoot = scratchRoot ?? Path.Combine(Path.GetTempPath(), "captioner-training");
    }

    /// <summary>The <c>training</c> container holding the jobs' files.</summary>
    public BlobContainerClient Container { get; }

    public ModelStore Models { get; }

    public string ScratchRoot { get; }

    /// <summary>The container a dataset is read from: only the job's own (<see cref="Container"/>), whatever a request names.</summary>
    public BlobContainerClient DatasetContainer(string name) =>
        name == Container.Name ? Container : throw new InvalidDataException($"A training job reads only the '{Container.Name}' container, not '{name}'.");

    public static string DatasetBlob(string jobId) => $"jobs/{jobId}/dataset.json";

    public static string VocabularyBlob(string jobId) => $"jobs/{jobId}/{ModelFiles.Vocabulary}";

    public static string ShardBlob(string jobId, string split, int index) => $"jobs/{jobId}/features/{split}-{index:D4}.bin";

    public static string CheckpointPrefix(string jobId) => $"jobs/{jobId}/checkpoints/";

    public static string CheckpointBlob(string jobId, int epoch, string file) => $"{CheckpointPrefix(jobId)}epoch-{epoch:D3}/{file}";

    public static string ModelPrefix(string jobId) => $"jobs/{jobId}/model/";

    /// <summary>The job's scratch folder on this machine.</summary>
    public string Scratch(string jobId) => Path.Combine(ScratchRoot, jobId);

    public async Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken) =>
        (await Container.GetBlobClient(blobName).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    public async Task UploadAsync(string blobName, BinaryData content, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blobName).UploadAsync(content, overwrite: true, cancellationToken).ConfigureAwait(false);

    public async Task UploadFileAsync(string blobName, string path, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blobName).UploadAsync(path, overwrite: true, cancellationToken).ConfigureAwait(false);

    public Task UploadJsonAsync<T>(string blobName, T value, CancellationToken cancellationToken) =>
        UploadAsync(blobName, BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(value, Json)), cancellationToken);

    /// <summary>
    /// A local copy of an immutable job blob (downloaded once per machine; concurrent callers share it).
    /// Throws <see cref="FileNotFoundException"/> when the blob does not exist.
    /// </summary>
    public async Task<string> LocalCopyAsync(string jobId, string blobName, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Scratch(jobId), "blobs", blobName.Replace('/', Path.DirectorySeparatorChar));
        var gate = _downloads.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var temporary = path + ".tmp";
                await DownloadToAsync(blobName, temporary, cancellationToken).ConfigureAwait(false);
                File.Move(temporary, path, overwrite: true);
            }

            return path;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task DownloadToAsync(string blobName, string path, CancellationToken cancellationToken)
    {
        try
        {
            await Container.GetBlobClient(blobName).DownloadToAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            File.Delete(path);
            throw new FileNotFoundException($"Blob '{Container.Name}/{blobName}' does not exist.", blobName, ex);
        }
    }

    public async Task<PreparedDataset> LoadDatasetAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(await LocalCopyAsync(jobId, DatasetBlob(jobId), cancellationToken).ConfigureAwait(false));
        return await JsonSerializer.DeserializeAsync<PreparedDataset>(stream, Json, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{DatasetBlob(jobId)} is empty.");
    }

    public async Task<CaptionVocabulary> LoadVocabularyAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(await LocalCopyAsync(jobId, VocabularyBlob(jobId), cancellationToken).ConfigureAwait(false));
        return CaptionVocabulary.Load(stream);
    }

    /// <summary>The features of a whole split, shard after shard, checked against the split's image names.</summary>
    public Task<ImageFeatureSet> LoadFeaturesAsync(string jobId, PreparedDataset dataset, string split, int shardSize, CancellationToken cancellationToken) =>
        LoadFeaturesAsync(jobId, dataset, split, shardSize, pooledOnly: false, cancellationToken);

    /// <summary>The pooled features of a split (its region maps dropped shard by shard, so memory holds 512 values a photo).</summary>
    public async Task<float[]> LoadPooledFeaturesAsync(string jobId, PreparedDataset dataset, string split, int shardSize, CancellationToken cancellationToken) =>
        (await LoadFeaturesAsync(jobId, dataset, split, shardSize, pooledOnly: true, cancellationToken).ConfigureAwait(false)).Pooled;

    private async Task<ImageFeatureSet> LoadFeaturesAsync(string jobId, PreparedDataset dataset, string split, int shardSize, bool pooledOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var images = dataset.Split(split);
        var shards = new List<ImageFeatureSet>();
        for (var (index, start) = (0, 0); start < images.Count; index++, start += shardSize)
        {
            await using var stream = File.OpenRead(await LocalCopyAsync(jobId, ShardBlob(jobId, split, index), cancellationToken).ConfigureAwait(false));
            var shard = FeatureFile.Read(stream) ?? throw new InvalidDataException($"Feature shard {split} {index} of job {jobId} was written by another encoder.");
            var expected = images.Skip(start).Take(shardSize).Select(image => image.ImageFile);
            if (!shard.Names.SequenceEqual(expected, StringComparer.Ordinal))
            {
                throw new InvalidDataException($"Feature shard {split} {index} of job {jobId} does not match the dataset.");
            }

            shards.Add(pooledOnly ? shard.Features with { Maps = [] } : shard.Features);
        }

        return ImageFeatureSet.Concat(shards);
    }

    /// <summary>Blob names under <paramref name="prefix"/> of the job container.</summary>
    public async Task<List<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
        {
            names.Add(item.Name);
        }

        return names;
    }

    public async Task DeleteAsync(string blobName, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
}
