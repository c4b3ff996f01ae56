using System.CommandLine;
using Captioner.Core.Decoding;

namespace Captioner.Cli.Commands;

/// <summary>The decoding options of <c>caption</c> and <c>eval</c>: greedy unless <c>--beam</c> or <c>--temperature</c>.</summary>
internal sealed class DecodingArguments
{
    public Option<int?> Beam { get; } = new("--beam") { Description = "Beam search with K beams (prints the n best with --json)." };

    public Option<double?> Temperature { get; } = new("--temperature") { Description = "Sample from softmax(logits / T); the seed notebook's power t is T = 1/t." };

    public Option<int> TopK { get; } = new("--top-k") { Description = "With --temperature: sample among the k most likely words only." };

    public Option<int?> Seed { get; } = new("--seed") { Description = "With --temperature: seed for reproducible sampling." };

    public Option<double?> LengthPenalty { get; } = new("--length-penalty") { Description = "With --beam: rank by log-probability / length^alpha (default: the model's tuned value)." };

    public Option<int> MaxWords { get; } = new("--max-words") { Description = "Most words per caption.", DefaultValueFactory = _ => DefaultMaxWords };

    private const int DefaultMaxWords = 20;

    public void AddTo(Command command)
    {
        command.AddOptions(Beam, Temperature, TopK, Seed, MaxWords, LengthPenalty);
        command.Validators.Add(result =>
        {
            try
            {
                Check(result);
            }
            catch (InvalidOperationException)
            {
                // A value that did not parse: reported by the parser already.
            }
        });
    }

    private void Check(System.CommandLine.Parsing.CommandResult result)
    {
        if (result.GetValue(Beam) is not null && result.GetValue(Temperature) is not null)
        {
            result.AddError("Use either --beam or --temperature, not both.");
            return;
        }

        if (result.GetValue(LengthPenalty) is { } alpha && !(alpha >= 0 && double.IsFinite(alpha)))
        {
            result.AddError($"--length-penalty must be a number >= 0 (got {alpha}).");
        }

        // The decoder's own range checks, before any image is read.
        try
        {
            Read(result).Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            result.AddError(Option(ex.ParamName) + ": " + CliErrors.Sentence(ex));
        }
    }

    private static string Option(string? parameter) => parameter switch
    {
        nameof(DecodingOptions.BeamWidth) => "--beam",
        nameof(DecodingOptions.Temperature) => "--temperature",
        nameof(DecodingOptions.TopK) => "--top-k",
        nameof(DecodingOptions.MaxWords) => "--max-words",
        _ => "decoding",
    };

    // In a validator, options left out have no value yet: their defaults apply here.
    private DecodingOptions Read(System.CommandLine.Parsing.CommandResult result) =>
        Read(result.GetValue(Beam), result.GetValue(Temperature), result.GetValue(TopK), result.GetValue(Seed), result.GetValue(LengthPenalty), result.GetResult(MaxWords) is null ? DefaultMaxWords : result.GetValue(MaxWords));

    public DecodingOptions Read(ParseResult result) => Read(result.GetValue(Beam), result.GetValue(Temperature), result.GetValue(TopK), result.GetValue(Seed), result.GetValue(LengthPenalty), result.GetValue(MaxWords));

    private static DecodingOptions Read(int? beamWidth, double? temperature, int topK, int? seed, double? lengthPenalty, int maxWords)
    {
        if (beamWidth is { } width)
        {
            var beam = new DecodingOptions { Mode = DecodingMode.Beam, BeamWidth = width, MaxWords = maxWords };
            return lengthPenalty is { } alpha ? beam with { LengthPenalty = alpha } : beam;
        }

        return temperature is { } t
            ? new DecodingOptions { Mode = DecodingMode.Sample, Temperature = t, TopK = topK, Seed = seed, MaxWords = maxWords }
            : new DecodingOptions { MaxWords = maxWords };
    }
}
