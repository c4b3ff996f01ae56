using System.Text.Json.Serialization;
using Captioner.Core.Pipeline;

namespace Captioner.Hosting.Gallery;

/// <summary>One page of results, newest first. <c>Total</c> counts what was listed (or matched, for a search);
/// <c>Limited</c> says older results were left out of the listing or the search.</summary>
public sealed record GalleryPage(
    [property: JsonPropertyName("items")] IReadOnlyList<CaptionResult> Items,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("searched")] int? Searched,
    [property: JsonPropertyName("limited")] bool Limited);
