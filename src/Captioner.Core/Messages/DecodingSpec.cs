using System.Text.Json.Serialization;
using Captioner.Core.Decoding;

namespace Captioner.Core.Messages;

/// <summary>Decoding settings as they travel in messages and requests; <see cref="ToOptions"/> validates them.</summary>
/// <remarks>Settable, not init-only: System.Text.Json's source generator sets every init-only property, so a setting
/// missing from a request (<c>{"mode": "greedy"}</c>) would be 0 instead of its default.</remarks>
public sealed record DecodingSpec
{
    /// <summary><c>greedy</c>, <c>sample</c> or <c>beam</c>.</summary>
    [JsonPropertyName("mode")] public string Mode { get; set; } = "greedy";

    [JsonPropertyName("beam")] public int BeamWidth { get; set; } = 3;

    [JsonPropertyName("temperature")] public double Temperature { get; set; } = 1.0;

    [JsonPropertyName("topK")] public int TopK { get; set; }

    [JsonPropertyName("seed")] public int? Seed { get; set; }

    [JsonPropertyName("maxWords")] public int MaxWords { get; set; } = 20;

    /// <summary>Words every caption begins with (see <see cref="DecodingOptions.BeginWith"/>); null for none.</summary>
    [JsonPropertyName("beginWith")] public string? BeginWith { get; set; }

    /// <summary>The decoder's options; an unknown mode or an out-of-range value is an <see cref="ArgumentException"/>.</summary>
    public DecodingOptions ToOptions()
    {
        var mode = Mode.ToUpperInvariant() switch
        {
            "GREEDY" => DecodingMode.Greedy,
            "SAMPLE" => DecodingMode.Sample,
            "BEAM" => DecodingMode.Beam,
            _ => throw new ArgumentException($"Unknown decoding mode '{Mode}'; use greedy, sample or beam."),
        };
        var options = new DecodingOptions { Mode = mode, BeamWidth = BeamWidth, Temperature = Temperature, TopK = TopK, Seed = Seed, MaxWords = MaxWords, BeginWith = BeginWith };
        options.Validate();
        return options;
    }
}
