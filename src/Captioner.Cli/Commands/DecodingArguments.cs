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

    public Option<int> MaxWords { get; } = new("--max-words") { Description = "Most words per caption.", DefaultValueFactory = _ => 20 };

    public void AddTo(Command command)
    {
        command.Options.Add(Beam);
        command.Options.Add(Temperature);
        command.Options.Add(TopK);
        command.Options.Add(Seed);
        command.Options.Add(MaxWords);
        command.Options.Add(LengthPenalty);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Beam) is not null && result.GetValue(Temperature) is not null)
            {
                result.AddError("Use either --beam or --temperature, not both.");
            }
        });
    }

    public DecodingOptions Read(ParseResult result)
    {
        var maxWords = result.GetValue(MaxWords);
        if (result.GetValue(Beam) is { } width)
        {
            var beam = new DecodingOptions { Mode = DecodingMode.Beam, BeamWidth = width, MaxWords = maxWords };
            return result.GetValue(LengthPenalty) is { } alpha ? beam with { LengthPenalty = alpha } : beam;
        }

        if (result.GetValue(Temperature) is { } temperature)
        {
            return new DecodingOptions { Mode = DecodingMode.Sample, Temperature = temperature, TopK = result.GetValue(TopK), Seed = result.GetValue(Seed), MaxWords = maxWords };
        }

        return new DecodingOptions { MaxWords = maxWords };
    }
}
