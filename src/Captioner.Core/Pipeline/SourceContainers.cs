using Captioner.Core.Storage;

namespace Captioner.Core.Pipeline;

/// <summary>
/// The containers images are read from (setting <c>Captioner:SourceContainers</c>, comma-separated, default
/// <c>images</c>): the only ones the image, thumbnail and bulk routes open. An allowlist: the app's own containers
/// and the Functions host's (keys, leases) are never among them.
/// </summary>
public sealed class SourceContainers
{
    private readonly StorageNames _names;

    public SourceContainers(string setting, StorageNames names)
    {
        ArgumentNullException.ThrowIfNull(setting);
        _names = names ?? throw new ArgumentNullException(nameof(names));
        Names = [.. setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Names { get; }

    public bool Contains(string? container) => container is not null && Names.Contains(container, StringComparer.Ordinal);

    /// <summary>Null when images may be read from <paramref name="container"/>, else why not.</summary>
    public string? Problem(string? container) =>
        Contains(container) ? null
        : $"Images are read only from {string.Join(", ", Names.Select(n => $"'{n}'"))} (setting Captioner:SourceContainers), not from '{PrintableText.Of(container)}'.";

    /// <summary>Why the setting itself is wrong, or null: checked when the host starts.</summary>
    public string? SettingProblem()
    {
        if (!Names.Contains(_names.ImagesContainer, StringComparer.Ordinal))
        {
            return $"Captioner:SourceContainers must include '{_names.ImagesContainer}', where uploads go.";
        }

        string[] own = [_names.CaptionsContainer, _names.ModelsContainer, _names.TrainingContainer];
        foreach (var name in Names)
        {
            if (!ContainerNames.IsValid(name))
            {
                return $"Captioner:SourceContainers: '{PrintableText.Of(name)}' is not a container name ({ContainerNames.Rule}).";
            }

            if (own.Contains(name, StringComparer.Ordinal) || name.StartsWith("azure-webjobs-", StringComparison.Ordinal))
            {
                return $"Captioner:SourceContainers: '{name}' holds the app's or the Functions host's own data and is never a source of images.";
            }
        }

        return null;
    }
}
