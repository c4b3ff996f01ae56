namespace Captioner.Core.Pipeline;

/// <summary>
/// The one rule for image blob names, used by every entry point (uploads, the image and result routes, bulk
/// prefixes, the pipeline, training datasets): any depth of folders, spaces and unicode; a blob name, never a
/// path to resolve; short enough that its result name (name + ".json") is still a blob name.
/// </summary>
public static class ImageNames
{
    /// <summary>Folder of the <c>captions</c> container that holds the results of source containers other than <c>images</c>.</summary>
    public const string ReservedFolder = ".containers";

    private const int MaxBlobName = 1024;

    /// <summary>Longest image name: its result adds <c>.json</c>.</summary>
    public const int MaxLength = MaxBlobName - 5;

    /// <summary>Null when <paramref name="name"/> can name an image, else why not (one line).</summary>
    public static string? Problem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "An image name is required."
        : name.Length > MaxLength ? $"An image name is at most {MaxLength:N0} characters; this one is {name.Length:N0}."
        : PathProblem(name) is { } problem ? problem
        : name.EndsWith('.') ? "An image name cannot end with '.'."
        : name.Split('/')[0] == ReservedFolder ? $"Image names under '{ReservedFolder}/' are reserved for the results of other containers."
        : null;

    /// <summary>Null when <paramref name="prefix"/> can select image names (a folder or the start of a name), else why not.</summary>
    public static string? PrefixProblem(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return prefix.Length == 0 ? null
            : prefix.Length > MaxLength ? $"A prefix is at most {MaxLength:N0} characters; this one is {prefix.Length:N0}."
            : PathProblem(prefix.EndsWith('/') ? prefix[..^1] : prefix);
    }

    // What makes a name a path rather than a blob name: control characters, backslashes and empty, '.' or '..' segments.
    private static string? PathProblem(string name) =>
        name.Any(char.IsControl) ? "An image name cannot contain control characters."
        : name.Contains('\\', StringComparison.Ordinal) ? "An image name cannot contain '\\'."
        : name.Split('/').Any(segment => segment is "" or "." or "..") ? "An image name cannot start or end with '/' or have empty, '.' or '..' segments."
        : null;
}
