namespace Captioner.Hosting.Http;

/// <summary>The content type an image is served with: the blob's own when it says image/*, else one from the name (the CLI and other tools often store none).</summary>
internal static class ImageContentTypes
{
    public static string For(string name, string? stored) =>
        stored is { } type && type.StartsWith("image/", StringComparison.Ordinal) ? type
        : Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => "image/jpeg",
            ".png" => "image/png",
            ".gif" => "image/gif",
            ".webp" => "image/webp",
            ".bmp" => "image/bmp",
            _ => "application/octet-stream",
        };
}
