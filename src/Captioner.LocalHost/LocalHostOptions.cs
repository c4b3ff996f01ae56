namespace Captioner.LocalHost;

/// <summary>The local host's own settings (section <c>Captioner:LocalHost</c>).</summary>
public sealed class LocalHostOptions
{
    public const string Section = "Captioner:LocalHost";

    /// <summary>
    /// Listen on an address other than loopback and answer to any host name. The local host has no keys: anyone who
    /// can reach it can read every image and start jobs.
    /// </summary>
    public bool AllowRemote { get; set; }
}
