using System.Net;

namespace Captioner.LocalHost;

/// <summary>
/// Where the local host listens: loopback, the Functions host's usual port, unless told otherwise. It has no keys,
/// so any other address needs <c>Captioner:LocalHost:AllowRemote</c> set to true, and the start says so loudly.
/// </summary>
internal static class LocalAddress
{
    public const string Default = "http://127.0.0.1:7071";

    public const string AllowRemoteSetting = LocalHostOptions.Section + ":" + nameof(LocalHostOptions.AllowRemote);

    /// <summary>Host names a loopback-only host answers to (any port): a page on another name reached through DNS rebinding gets nothing.</summary>
    public static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>The listening URLs (';'-separated, as ASPNETCORE_URLS) that are not on loopback.</summary>
    public static IReadOnlyList<string> NonLoopback(string urls) =>
        [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(url => !Uri.TryCreate(url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) || !IsLoopbackName(uri.Host))];
}
