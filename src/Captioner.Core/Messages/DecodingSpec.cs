using System.Text.Json.Serialization;
using Captioner.Core.Decoding;

namespace Captioner.Core.Messages;

/// <summary>Decoding settings as they travel in messages and requests; <see cref="ToOptions"/> validates them.</summary>
public sealed record DecodingSpec
{
    /// <summary><c>greedy</c>, <c>sample</c> or <c>beam</c>.</summary>
    [JsonPropertyName("mode")] public string Mode { get; init; } = "greedy";

    [JsonPropertyName("beam")] public int BeamWidth { get; init; } = 3;

    [JsonPropertyName("temperature")] public double Temperature { get; init; } = 1.0;

    [JsonPropertyName("topK")] public int TopK { get; init; }

    [JsonPropertyName("seed")] public int? Seed { get; init; }

    [JsonPropertyName("maxWords")] public int MaxWords { get; init; } = 20;

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
        var options = new DecodingOptions { Mode = mode, BeamWidth = BeamWidth, Temperature = Temperature, TopK = TopK, Seed = Seed, MaxWords = MaxWords };
        options.Validate();
        return options;
    }
}
