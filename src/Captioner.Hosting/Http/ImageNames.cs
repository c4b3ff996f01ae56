namespace Captioner.Hosting.Http;

/// <summary>What an image name in a URL may be: a blob name, not a path to resolve.</summary>
public static class ImageNames
{
    /// <summary>Why <paramref name="name"/> cannot name an image, or null when it can.</summary>
    public static string? Problem(string? name) =>
        string.IsNullOrEmpty(name) ? "An image name is required."
        : name.Length > 1024 ? $"An image name is at most 1,024 characters; this one is {name.Length:N0}."
        : name.Any(char.IsControl) ? "An image name cannot contain control characters."
        : name.Contains('\\', StringComparison.Ordinal) || name.StartsWith('/') || name.Split('/').Any(segment => segment is "" or "." or "..")
            ? "An image name cannot start with '/', contain '\\' or have empty, '.' or '..' segments."
        : null;
}
