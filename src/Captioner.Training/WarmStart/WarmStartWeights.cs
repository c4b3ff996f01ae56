using TorchSharp;
using static TorchSharp.torch;

namespace Captioner.Training.WarmStart;

/// <summary>
/// Puts a base model's weights into a freshly built module whose vocabulary may have grown: every weight is the base's,
/// and the rows of the words the base did not know (the last ones: <see cref="Core.Vocabulary.CaptionVocabulary.Grow"/>)
/// start where a known word would. Their embeddings are the known words' mean plus noise at the known rows' spread,
/// so they are as far apart as real words; their output rows are the known rows' mean and their biases the known words'
/// lower decile, so a new word starts as an unremarkable, rarely chosen word rather than a random or a frequent one.
/// </summary>
internal static class WarmStartWeights
{
    /// <summary>The state entries with one row per vocabulary word.</summary>
    public static readonly IReadOnlySet<string> VocabularyRows = new HashSet<string>(StringComparer.Ordinal) { "embedding.weight", "output.weight", "output.bias" };

    private const double NewBiasQuantile = 0.1;

    /// <summary>Copies <paramref name="member"/>'s weights into <paramref name="module"/> (its vocabulary at least the base's).</summary>
    public static void Apply(nn.Module module, BaseMember member, int seed)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(member);
        using var noGrad = no_grad();
        var random = new Random(seed);
        var state = module.state_dict();
        var missing = member.State.Keys.Except(state.Keys).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"The base model's weights do not fit this decoder (no place for {string.Join(", ", missing.Take(3))}).");
        }

        foreach (var (name, target) in state)
        {
            var values = member.State.GetValueOrDefault(name)
                ?? throw new InvalidDataException($"The base model has no weight for {name}: choose the base's decoder kind and sizes.");
            var rows = target.shape[0];
            var width = target.numel() / rows;
            if (VocabularyRows.Contains(name) && values.Length < target.numel() && values.Length % width == 0)
            {
                values = Grown(name, values, (int)width, (int)rows, random);
            }

            if (values.Length != target.numel())
            {
                throw new InvalidDataException($"The base model's {name} has {values.Length} values where this decoder has {target.numel()}: choose the base's decoder kind and sizes.");
            }

            target.copy_(tensor(values).reshape(target.shape));
        }
    }

    private static float[] Grown(string name, float[] known, int width, int rows, Random random)
    {
        var knownRows = known.Length / width;
        var grown = new float[rows * width];
        Array.Copy(known, grown, known.Length);

        // The reserved tokens' rows (padding, start, unknown, end) are not words: they stay out of the statistics.
        var first = Core.Vocabulary.SpecialTokens.All.Count;
        if (name == "output.bias")
        {
            var sorted = known.Skip(first).Order().ToArray();
            var low = sorted[(int)(NewBiasQuantile * (sorted.Length - 1))];
            Array.Fill(grown, low, known.Length, grown.Length - known.Length);
            return grown;
        }

        var mean = new double[width];
        var spread = new double[width];
        for (var row = first; row < knownRows; row++)
        {
            for (var col = 0; col < width; col++)
            {
                mean[col] += known[(row * width) + col];
            }
        }

        for (var col = 0; col < width; col++)
        {
            mean[col] /= knownRows - first;
        }

        for (var row = first; row < knownRows; row++)
        {
            for (var col = 0; col < width; col++)
            {
                var d = known[(row * width) + col] - mean[col];
                spread[col] += d * d;
            }
        }

        // Embeddings get the known rows' full spread (inputs must be told apart); output rows a tenth of it (symmetry broken, no word favoured).
        var noise = name == "embedding.weight" ? 1.0 : 0.1;
        for (var row = knownRows; row < rows; row++)
        {
            for (var col = 0; col < width; col++)
            {
                var sd = Math.Sqrt(spread[col] / (knownRows - first));
                grown[(row * width) + col] = (float)(mean[col] + (noise * sd * Gaussian(random)));
            }
        }

        return grown;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
