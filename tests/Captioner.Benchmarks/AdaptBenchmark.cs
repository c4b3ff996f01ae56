using System.Globalization;
using System.Text.Json;
using Captioner.Core.Vocabulary;
using Captioner.Evaluation.Data;
using Captioner.Evaluation.Scoring;

namespace Captioner.Benchmarks;

/// <summary>
/// The two halves of scripts/bench-adapt.sh written in C# (the script trains and evaluates with the CLI):
/// <c>adapt split</c> writes the splits (the base's training split without any image whose captions mention a family;
/// the fine-tuning split of N such images, half from each family, plus replayed base images; a fine-tuning dev split of
/// other held-out images), and <c>adapt score</c> scores written captions on the evaluation split's concept images and
/// on the rest.
/// </summary>
internal static class AdaptBenchmark
{
    private const int Seed = 7;

    public static int Split(string captions, string trainSplit, int count, int replay, int devPerFamily, string output)
    {
        var all = CaptionFiles.ReadFile(captions);
        var train = SplitFile.Select(all, SplitFile.Read(trainSplit), "train");
        var baseTrain = train.Where(image => !ConceptFamilies.MentionsAny(image.Captions)).ToList();
        var random = new Random(Seed);
        var tune = new List<string>();
        var dev = new List<string>();
        foreach (var family in ConceptFamilies.Words.Keys)
        {
            var shown = train.Where(image => ConceptFamilies.Shown(image.Captions) == family).Select(image => image.ImageFile).ToArray();
            random.Shuffle(shown);
            var take = count / 2;
            if (shown.Length < take + devPerFamily)
            {
                Console.Error.WriteLine($"error: the training split has {shown.Length} images showing {family}; {take} + {devPerFamily} are needed.");
                return 2;
            }

            tune.AddRange(shown.Take(take));
            dev.AddRange(shown.Skip(take).Take(devPerFamily));
        }

        var others = baseTrain.Select(image => image.ImageFile).ToArray();
        random.Shuffle(others);
        tune.AddRange(others.Take(replay));
        // The dev split holds the families about as often as the data (a fifth), so picking the checkpoint does not reward naming them everywhere.
        dev.AddRange(others.Skip(replay).Take(8 * devPerFamily));
        Directory.CreateDirectory(output);
        File.WriteAllLines(Path.Combine(output, "base-train.txt"), baseTrain.Select(image => image.ImageFile));
        File.WriteAllLines(Path.Combine(output, $"tune-{count}.txt"), tune);
        File.WriteAllLines(Path.Combine(output, $"tune-{count}-dev.txt"), dev);
        Console.WriteLine($"base training split: {baseTrain.Count} of {train.Count} images (none mentions a family word); fine-tuning: {count} images showing a family + {replay} replayed base images; fine-tuning dev: {dev.Count} other held-out training images");
        return 0;
    }

    /// <summary>Scores each <c>name=captions.tsv</c> in <paramref name="models"/> on the evaluation split; prints a table and returns the scores by model.</summary>
    public static Dictionary<string, ConceptScores> Score(string captions, string evalSplit, IReadOnlyList<string> models)
    {
        var eval = SplitFile.Select(CaptionFiles.ReadFile(captions), SplitFile.Read(evalSplit), "eval");
        var shown = eval.Select(image => ConceptFamilies.Shown(image.Captions)).ToArray();
        var concept = Enumerable.Range(0, eval.Count).Where(i => shown[i] is not null).ToArray();
        var rest = Enumerable.Range(0, eval.Count).Where(i => shown[i] is null).ToArray();
        Console.WriteLine($"evaluation split: {eval.Count} images, {concept.Length} showing a family ({string.Join(", ", ConceptFamilies.Words.Keys.Select(f => $"{shown.Count(s => s == f)} {f}"))}), {rest.Length} others");
        Console.WriteLine($"{"model",-12} {"concept CIDEr-D",16} {"family-word F1",15} {"precision",10} {"recall",8} {"rest CIDEr-D",13}");
        var scores = new Dictionary<string, ConceptScores>(StringComparer.Ordinal);
        foreach (var entry in models)
        {
            var (name, file) = (entry[..entry.IndexOf('=', StringComparison.Ordinal)], entry[(entry.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            var written = CaptionFiles.ReadFile(file).ToDictionary(image => image.ImageFile, image => image.Captions[0], StringComparer.Ordinal);
            var candidates = eval.Select(image => written.TryGetValue(image.ImageFile, out var caption) ? caption : throw new InvalidDataException($"{file} has no caption of {image.ImageFile}")).ToArray();
            var (precision, recall, f1) = FamilyWordF1(candidates, shown);
            var score = new ConceptScores(Cider(eval, candidates, concept), f1, precision, recall, Cider(eval, candidates, rest));
            scores[name] = score;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-12} {score.ConceptCider,16:F4} {score.ConceptF1,15:F4} {precision,10:F3} {recall,8:F3} {score.RestCider,13:F4}"));
        }

        return scores;
    }

    public static string JsonLine(int count, Dictionary<string, ConceptScores> scores, double fineTuneSeconds) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["count"] = count,
        ["baseConceptCider"] = Math.Round(scores["base"].ConceptCider, 4),
        ["adaptedConceptCider"] = Math.Round(scores["adapted"].ConceptCider, 4),
        ["fullConceptCider"] = Math.Round(scores["full"].ConceptCider, 4),
        ["adaptedConceptF1"] = Math.Round(scores["adapted"].ConceptF1, 4),
        ["fullConceptF1"] = Math.Round(scores["full"].ConceptF1, 4),
        ["baseRestCider"] = Math.Round(scores["base"].RestCider, 4),
        ["adaptedRestCider"] = Math.Round(scores["adapted"].RestCider, 4),
        ["fineTuneSeconds"] = Math.Round(fineTuneSeconds, 1),
    });

    private static double Cider(IReadOnlyList<CaptionedImage> eval, string[] candidates, int[] subset) =>
        CiderD.Corpus(
            [.. subset.Select(i => CaptionTokenizer.Tokenize(candidates[i]))],
            [.. subset.Select(i => (IReadOnlyList<string[]>)[.. eval[i].Captions.Select(CaptionTokenizer.Tokenize)])]);

    /// <summary>Pooled over the families: a caption mentioning a family is a positive, right when its image shows that family.</summary>
    private static (double Precision, double Recall, double F1) FamilyWordF1(string[] candidates, string?[] shown)
    {
        int truePositives = 0, falsePositives = 0, falseNegatives = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            var mentioned = ConceptFamilies.Mentioned(candidates[i]).ToHashSet(StringComparer.Ordinal);
            foreach (var family in ConceptFamilies.Words.Keys)
            {
                var (said, truth) = (mentioned.Contains(family), shown[i] == family);
                truePositives += said && truth ? 1 : 0;
                falsePositives += said && !truth ? 1 : 0;
                falseNegatives += !said && truth ? 1 : 0;
            }
        }

        var precision = truePositives + falsePositives == 0 ? 0 : truePositives / (double)(truePositives + falsePositives);
        var recall = truePositives + falseNegatives == 0 ? 0 : truePositives / (double)(truePositives + falseNegatives);
        return (precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
    }
}

/// <summary>One model's scores in the adaptation benchmark.</summary>
internal sealed record ConceptScores(double ConceptCider, double ConceptF1, double Precision, double Recall, double RestCider);
