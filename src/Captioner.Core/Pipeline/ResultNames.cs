namespace Captioner.Core.Pipeline;

/// <summary>
/// Where an image's result lives in <c>captions</c>: <c>{name}.json</c> for the uploads container (as it always was,
/// so no result moves), <c>.containers/{container}/{name}.json</c> for any other source container, so two
/// containers never share a result. Image names cannot start with <c>.containers/</c> (<see cref="ImageNames"/>).
/// </summary>
public sealed class ResultNames(string uploadsContainer)
{
    private const string Suffix = ".json";

    public string For(string container, string image) => PrefixFor(container, image) + Suffix;

    /// <summary>The prefix the results of <paramref name="container"/>'s images under <paramref name="imagePrefix"/> share.</summary>
    public string PrefixFor(string container, string imagePrefix) =>
        container == uploadsContainer ? imagePrefix : $"{ImageNames.ReservedFolder}/{container}/{imagePrefix}";

    /// <summary>The container and image a result blob is for, or null for a blob that is not a result.</summary>
    public (string Container, string Image)? Parse(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        if (!blobName.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var name = blobName[..^Suffix.Length];
        if (!name.StartsWith(ImageNames.ReservedFolder + "/", StringComparison.Ordinal))
        {
            return (uploadsContainer, name);
        }

        var rest = name[(ImageNames.ReservedFolder.Length + 1)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < rest.Length - 1 ? (rest[..slash], rest[(slash + 1)..]) : null;
    }
}
