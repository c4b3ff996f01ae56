using System.Text.Json.Serialization;

namespace Captioner.Core.Messages;

/// <summary>
/// <c>bulk-requests</c> queue, version 1: caption every blob under a prefix. The lister handles one
/// page per message and enqueues the next page with its continuation token, so no run grows with
/// the container.
/// </summary>
public sealed record BulkRequestMessage
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("v")] public int Version { get; init; } = CurrentVersion;

    [JsonPropertyName("id")] public required string Id { get; init; }

    [JsonPropertyName("container")] public required string Container { get; init; }

    [JsonPropertyName("prefix")] public string Prefix { get; init; } = string.Empty;

    /// <summary>The job is the one image named <see cref="Prefix"/>, not every blob under it (the page's "caption again").</summary>
    [JsonPropertyName("exact")] public bool Exact { get; init; }

    [JsonPropertyName("force")] public bool Force { get; init; }

    [JsonPropertyName("decoding")] public DecodingSpec Decoding { get; init; } = new();

    /// <summary>Where listing resumes; null for the first page.</summary>
    [JsonPropertyName("continuation")] public string? Continuation { get; init; }

    /// <summary>Pages listed before this one.</summary>
    [JsonPropertyName("page")] public int Page { get; init; }

    /// <summary>Non-forced jobs: where the walk over the results resumes (<see cref="Pipeline.CaptionedListing"/>); absent on the first page.</summary>
    [JsonPropertyName("resultsContinuation")] public string? ResultsContinuation { get; init; }

    /// <summary>The last result name the walk has considered.</summary>
    [JsonPropertyName("resultsAfter")] public string? ResultsAfter { get; init; }

    /// <summary>The walk has seen every result under the prefix.</summary>
    [JsonPropertyName("resultsExhausted")] public bool ResultsExhausted { get; init; }
}
