namespace Captioner.Core.Storage;

/// <summary>
/// An account name or endpoint <see cref="StorageEndpoints.Resolve"/> cannot use. <see cref="Part"/> says which
/// (<c>account</c>, <c>blob</c>, <c>queue</c>, <c>table</c>), so a host can name its setting and the command line its option.
/// </summary>
public sealed class InvalidStorageEndpointException(string part, string message) : ArgumentException(message)
{
    public const string AccountPart = "account";

    public string Part { get; } = part;
}
