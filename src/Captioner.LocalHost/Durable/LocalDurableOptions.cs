namespace Captioner.LocalHost.Durable;

/// <summary>The local Durable Task back end (section <c>Captioner:Durable</c>): Azure Storage provider on the same account.</summary>
public sealed class LocalDurableOptions
{
    public const string Section = "Captioner:Durable";

    /// <summary>Task hub name (its queues, tables and lease container are named after it).</summary>
    public string TaskHub { get; set; } = "captionerlocal";

    /// <summary>Loopback port of the gRPC sidecar; 0 picks a free one.</summary>
    public int SidecarPort { get; set; }

    /// <summary>
    /// How long a taken activity message stays hidden: after a crash the activity runs again this long
    /// after it started. Must exceed the longest activity (a training epoch on the full data is about a minute).
    /// </summary>
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The same for orchestration (control queue) messages.</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Activities run at once on this host (training is CPU bound).</summary>
    public int MaxConcurrentActivities { get; set; } = 2;
}
