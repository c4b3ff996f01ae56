namespace Captioner.LocalHost;

/// <summary>Where the local host listens when no URL is configured: loopback, the Functions host's usual port.</summary>
internal static class LocalAddress
{
    public const string Default = "http://127.0.0.1:7071";
}
