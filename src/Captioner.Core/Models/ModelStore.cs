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
    private readonly long _maxFileBytes;

    /// <param name="container">The <c>models</c> container.</param>
    /// <param name="options">Download limits, checked at start by <see cref="ModelStoreOptionsValidator"/>; the defaults when null.</param>
    public ModelStore(BlobContainerClient container, ModelStoreOptions? options = null)
    {
        _container = container;
        _maxFileBytes = (options ?? new ModelStoreOptions()).MaxFileBytes;
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
        var names = ModelFiles.Required.Concat(ModelFiles.Optional.Where(name => File.Exists(Path.Combine(directory, name)))).Append(ModelFiles.Manifest).ToList();
        foreach (var name in names)
        {
            // Workers would refuse it after the upload: refuse it here, with the same message.
            CheckSize(directory, name, new FileInfo(Path.Combine(directory, name)).Length);
        }

        foreach (var name in names)
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
            // The blobs may predate this publish (versions are immutable): promote what is stored, verified.
            await PromoteAsync(version, cancellationToken).ConfigureAwait(false);
        }

        return version;
    }

    /// <summary>
    /// Points <c>current.json</c> at <paramref name="version"/> once it has been downloaded and loaded exactly as a
    /// worker would (<see cref="LoadAsync"/>: size caps, hashes, decoder kind, self-contained graphs, session shapes),
    /// so a version the workers would refuse never becomes current. The only way the pointer moves.
    /// </summary>
    /// <exception cref="ModelLoadException">The version is refused; the message says why and the pointer is unchanged.</exception>
    public async Task PromoteAsync(string version, CancellationToken cancellationToken = default)
    {
        using (await LoadAsync(version, cancellationToken).ConfigureAwait(false))
        {
            // Loaded and verified; nothing to run.
        }

        await WritePointerAsync(version, cancellationToken).ConfigureAwait(false);
    }

    private async Task WritePointerAsync(string version, CancellationToken cancellationToken)
    {
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

    /// <summary>Downloads and verifies <paramref name="version"/>: what workers serve and what <see cref="PromoteAsync"/> checks.</summary>
    public async Task<CaptioningModel> LoadAsync(string version, CancellationToken cancellationToken = default)
    {
        ValidateVersion(version);
        var source = $"{_container.Name}/{version}";
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in ModelFiles.All.Append(ModelFiles.Manifest))
        {
            if (await DownloadCappedAsync(source, $"{version}/{name}", name, cancellationToken).ConfigureAwait(false) is { } data)
            {
                files[name] = data;
            }
        }

        var model = CaptioningModel.Load(name => files.GetValueOrDefault(name), source);
        if (model.Version != version)
        {
            model.Dispose();
            throw new ModelLoadException($"{source}: the manifest says version {model.Version}.");
        }

        return model;
    }

    /// <summary>The blob's content, or null when it does not exist; one over the cap is refused before its download.</summary>
    private async Task<byte[]?> DownloadCappedAsync(string source, string blobName, string file, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(blobName);
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            CheckSize(source, file, properties.ContentLength);

            // If-Match: the content downloaded is the one whose length was checked, even if the blob is replaced meanwhile.
            var options = new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } };
            var data = (await blob.DownloadContentAsync(options, cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
            CheckSize(source, file, data.LongLength);
            return data;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new ModelLoadException($"{source}: {file} changed while it was read; versions are immutable, so it was tampered with.", ex);
        }
    }

    private void CheckSize(string source, string file, long bytes)
    {
        if (bytes > _maxFileBytes)
        {
            throw new ModelLoadException($"{source}: {file} is {bytes:N0} bytes, over the {_maxFileBytes:N0}-byte cap ({ModelStoreOptions.Section}:MaxFileBytes).");
        }
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
