using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Captioner.Core.Models;

/// <summary>
/// Model versions in the <c>models</c> container: one folder per version (the model folder format)
/// and <c>current.json</c> naming the version to serve.
/// </summary>
public sealed class ModelStore
{
    /// <summary>The pointer blob's name.</summary>
    public const string PointerBlob = "current.json";

    private readonly BlobContainerClient _container;

    public ModelStore(BlobContainerClient container)
    {
        _container = container;
    }

    /// <summary>Uploads a verified local model folder under its manifest's version; returns the version. A version that exists is left as it is.</summary>
    public async Task<string> PublishAsync(string directory, bool makeCurrent, CancellationToken cancellationToken = default)
    {
        string version;
        using (var model = CaptioningModel.LoadFolder(directory))
        {
            // Loading verifies the hashes and shapes: a damaged folder is never published.
            version = model.Version;
        }

        ValidateVersion(version);

        foreach (var name in ModelFiles.Required.Append(ModelFiles.Manifest))
        {
            var blob = _container.GetBlobClient($"{version}/{name}");
            var path = Path.Combine(directory, name);
            try
            {
                await blob.UploadAsync(path, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Published before (a retried publish): versions are immutable.
            }
        }

        if (makeCurrent)
        {
            await SetCurrentAsync(version, cancellationToken).ConfigureAwait(false);
        }

        return version;
    }

    /// <summary>Points <c>current.json</c> at <paramref name="version"/>.</summary>
    public async Task SetCurrentAsync(string version, CancellationToken cancellationToken = default)
    {
        ValidateVersion(version);
        var json = JsonSerializer.SerializeToUtf8Bytes(new CurrentModelPointer(version, DateTimeOffset.UtcNow), PointerJson.Default.CurrentModelPointer);
        await _container.GetBlobClient(PointerBlob).UploadAsync(new BinaryData(json), overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The current pointer, or null when none is set.</summary>
    public async Task<CurrentModelPointer?> GetCurrentAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await _container.GetBlobClient(PointerBlob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(content.Value.Content.ToMemory().Span, PointerJson.Default.CurrentModelPointer);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"{PointerBlob} is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>Downloads and verifies <paramref name="version"/>.</summary>
    public async Task<CaptioningModel> LoadAsync(string version, CancellationToken cancellationToken = default)
    {
        ValidateVersion(version);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in ModelFiles.Required.Append(ModelFiles.Manifest))
        {
            byte[]? data;
            try
            {
                data = (await _container.GetBlobClient($"{version}/{name}").DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                data = null;
            }

            if (data is not null)
            {
                files[name] = data;
            }
        }

        var model = CaptioningModel.Load(name => files.GetValueOrDefault(name), $"{_container.Name}/{version}");
        if (model.Version != version)
        {
            model.Dispose();
            throw new ModelLoadException($"{_container.Name}/{version}: the manifest says version {model.Version}.");
        }

        return model;
    }

    private static void ValidateVersion(string version)
    {
        if (!IsValidVersion(version))
        {
            throw new ArgumentException($"Model version '{version}' must be 1..128 letters, digits, '-', '_' or '.'.", nameof(version));
        }
    }

    /// <summary>Whether <paramref name="version"/> can name a model: 1..128 ASCII letters, digits, '-', '_' or '.', not starting with '.'.</summary>
    public static bool IsValidVersion(string? version) =>
        !string.IsNullOrWhiteSpace(version) && version.Length <= 128 && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !version.StartsWith('.');
}
