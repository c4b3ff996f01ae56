using System.Text.Json;

namespace Captioner.Cli.Tests;

public sealed class EvalCommandTests : IDisposable
{
    private readonly string _split = Path.GetTempFileName();

    public EvalCommandTests()
    {
        File.WriteAllLines(_split, File.ReadLines(Path.Combine(SharedData.Flickr8k, "split_dev.txt")).Take(60));
    }

    [Fact]
    public void Eval_json_reports_bleu_and_cider_of_the_default_model_on_dev_images()
    {
        var result = CliRunner.Run("eval", "--images", Path.Combine(SharedData.Flickr8k, "images"), "--captions", Path.Combine(SharedData.Flickr8k, "captions.tsv"), "--split", _split, "--beam", "2", "--json");

        Assert.Equal(0, result.ExitCode);
        using var scores = JsonDocument.Parse(result.Output);
        var root = scores.RootElement;
        Assert.Equal(60, root.GetProperty("images").GetInt32());
        foreach (var key in new[] { "bleu1", "bleu2", "bleu3", "bleu4" })
        {
            Assert.InRange(root.GetProperty(key).GetDouble(), 0.01, 1.0);
        }

        // The default model really captions: far above chance on photos of its own domain.
        Assert.True(root.GetProperty("bleu1").GetDouble() > 0.45, result.Output);
        Assert.True(root.GetProperty("cider").GetDouble() > 0.2, result.Output);
    }

    [Fact]
    public void Eval_json_measures_the_confidence_ranking_and_the_familiarity_against_an_unfamiliar_folder()
    {
        var result = CliRunner.Run("eval", "--images", Path.Combine(SharedData.Flickr8k, "images"), "--captions", Path.Combine(SharedData.Flickr8k, "captions.tsv"), "--split", _split, "--beam", "2", "--unfamiliar", SharedData.Samples, "--json");

        Assert.Equal(0, result.ExitCode);
        using var scores = JsonDocument.Parse(result.Output);
        var confidence = scores.RootElement.GetProperty("confidence");
        Assert.InRange(confidence.GetProperty("confidenceSpearman").GetDouble(), -1, 1);
        Assert.InRange(confidence.GetProperty("logProbabilitySpearman").GetDouble(), -1, 1);
        Assert.InRange(confidence.GetProperty("top50Cider").GetDouble(), 0, 10);
        Assert.InRange(confidence.GetProperty("splitUnfamiliarShare").GetDouble(), 0, 0.5);

        // The five sample photos that are images (the folder also holds a README and a truncated JPEG); three or more
        // of them (a cat, a coffee cup, a rocket, a camera) are unlike Flickr8k's and flagged.
        Assert.Equal(5, confidence.GetProperty("otherImages").GetInt32());
        Assert.InRange(confidence.GetProperty("otherUnfamiliarShare").GetDouble(), 0.6, 1);
        Assert.InRange(confidence.GetProperty("familiarityAuroc").GetDouble(), 0.8, 1);
    }

    [Fact]
    public void Eval_text_prints_the_five_scores_on_one_line()
    {
        File.WriteAllLines(_split, File.ReadAllLines(_split).Take(10));

        var result = CliRunner.Run("eval", "--images", Path.Combine(SharedData.Flickr8k, "images"), "--captions", Path.Combine(SharedData.Flickr8k, "captions.tsv"), "--split", _split);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^BLEU-1 \d\.\d{4} BLEU-2 \d\.\d{4} BLEU-3 \d\.\d{4} BLEU-4 \d\.\d{4} CIDEr-D \d+\.\d{4}$", result.OutputLines[0]);
        Assert.StartsWith("confidence: Spearman with per-image CIDEr-D ", result.OutputLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_write_captions_writes_one_tab_separated_line_per_image_of_the_split()
    {
        File.WriteAllLines(_split, File.ReadAllLines(_split).Take(8));
        var written = Path.GetTempFileName();
        try
        {
            var result = CliRunner.Run("eval", "--images", Path.Combine(SharedData.Flickr8k, "images"), "--captions", Path.Combine(SharedData.Flickr8k, "captions.tsv"), "--split", _split, "--beam", "2", "--write-captions", written);

            Assert.Equal(0, result.ExitCode);
            var lines = File.ReadAllLines(written).Select(line => line.Split('\t')).ToList();
            Assert.Equal(File.ReadAllLines(_split), lines.Select(parts => parts[0]));
            Assert.All(lines, parts => Assert.Matches(@"^[a-z]+( [a-z#]+)*$", Assert.Single(parts.Skip(1))));
        }
        finally
        {
            File.Delete(written);
        }
    }

    public void Dispose() => File.Delete(_split);
}
