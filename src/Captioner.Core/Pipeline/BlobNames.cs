namespace Captioner.Core.Pipeline;

/// <summary>Which image blob names the pipeline accepts: any depth of folders, spaces and unicode, but no control characters, and short enough that the result name (name + ".json") is a valid blob name.</summary>
public static class BlobNames
{
    private const int MaxBlobName = 1024;

    /// <summary>Null when <paramref name="name"/> is acceptable, else why not.</summary>
    public static string? Problem(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "The name is empty.";
        }

        if (name.Length + ".json".Length > MaxBlobName)
        {
            return $"The name is {name.Length} characters; at most {MaxBlobName - ".json".Length} are accepted.";
        }

        if (name.Any(char.IsControl))
        {
            return "The name contains control characters.";
        }

        if (name.EndsWith('/') || name.EndsWith('.') || name.Contains("//", StringComparison.Ordinal))
        {
            return "The name ends with '/' or '.', or has an empty folder.";
        }

        return null;
    }
}
