using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Captioner.Training.Orchestration;

/// <summary>
/// Deletes the workspaces (<c>training/jobs/{id}/</c>) of jobs idle since before a cutoff: none of their blobs written
/// since. A running job writes a checkpoint every chunk, so a cutoff of days never touches one; the published model
/// lives in <c>models/</c> and is kept.
/// </summary>
public static class TrainingRetention
{
    private const string JobsPrefix = "jobs/";

    /// <summary>Deletes every job folder whose newest blob is older than <paramref name="cutoff"/>; returns how many jobs went.</summary>
    public static async Task<int> DeleteIdleJobsAsync(BlobContainerClient training, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        var jobs = new Dictionary<string, (DateTimeOffset Newest, List<string> Blobs)>(StringComparer.Ordinal);
        await foreach (var blob in training.GetBlobsAsync(BlobTraits.None, BlobStates.None, JobsPrefix, cancellationToken).ConfigureAwait(false))
        {
            var id = blob.Name[JobsPrefix.Length..].Split('/')[0];
            var modified = blob.Properties.LastModified ?? DateTimeOffset.MaxValue;
            var job = jobs.TryGetValue(id, out var seen) ? seen : (DateTimeOffset.MinValue, []);
            job.Blobs.Add(blob.Name);
            jobs[id] = (modified > job.Newest ? modified : job.Newest, job.Blobs);
        }

        var idle = jobs.Where(j => j.Value.Newest < cutoff).ToList();
        foreach (var (_, (_, blobs)) in idle)
        {
            foreach (var name in blobs)
            {
                await training.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        return idle.Count;
    }
}
