using System.Text.Json;

namespace Captioner.Cli.Tests;

public sealed class CaptionCommandTests : IDisposable
{
    private static readonly string[] Photos = ["astronaut.png", "camera.png", "chelsea.png", "coffee.png", "rocket.jpg"];
    private readonly string _scratch = Directory.CreateTempSubdirectory("captioner-cli-").FullName;

    [Fact]
    public void Captions_every_good_photo_and_reports_each_bad_file_on_stderr_with_a_non_zero_exit()
    {
        var empty = Path.Combine(_scratch, "empty.jpg");
        File.WriteAllBytes(empty, []);
        var text = Path.Combine(_scratch, "notes.jpg");
        File.WriteAllText(text, "not a photo");
        var truncated = Path.Combine(SharedData.Samples, "truncated.jpg");

        var result = CliRunner.Run(["caption", .. Photos.Select(p => Path.Combine(SharedData.Samples, p)), truncated, empty, text]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(Photos.Length, result.OutputLines.Length);
        foreach (var (line, photo) in result.OutputLines.Zip(Photos))
        {
            var parts = line.Split('\t');
            Assert.EndsWith(photo, parts[0]);
            Assert.Matches("^[a-z]+( [a-z0-9]+){2,}$", parts[1]);
        }

        Assert.Contains(result.ErrorLines, l => l.StartsWith(truncated + "\terror: ", StringComparison.Ordinal) && l.Contains("truncated", StringComparison.Ordinal));
        Assert.Contains(result.ErrorLines, l => l.StartsWith(empty + "\terror: ", StringComparison.Ordinal) && l.Contains("empty", StringComparison.Ordinal));
        Assert.Contains(result.ErrorLines, l => l.StartsWith(text + "\terror: ", StringComparison.Ordinal) && l.Contains("Not a recognised image", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_lines_with_beam_search_carry_caption_logprob_model_version_and_n_best()
    {
        var result = CliRunner.Run("caption", Path.Combine(SharedData.Samples, "chelsea.png"), "--json", "--beam", "3");

        Assert.Equal(0, result.ExitCode);
        using var line = JsonDocument.Parse(result.OutputLines.Single());
        var root = line.RootElement;
        Assert.EndsWith("chelsea.png", root.GetProperty("image").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("caption").GetString()));
        Assert.True(root.GetProperty("logprob").GetDouble() < 0);
        Assert.StartsWith("flickr8k", root.GetProperty("modelVersion").GetString());
        Assert.InRange(root.GetProperty("nbest").GetArrayLength(), 2, 3);
    }

    [Fact]
    public void Every_json_line_has_confidence_familiarity_and_flags_the_cat_the_coffee_cup_and_the_rocket_unfamiliar()
    {
        var result = CliRunner.Run(["caption", .. Photos.Select(p => Path.Combine(SharedData.Samples, p)), "--json", "--beam", "3"]);

        Assert.Equal(0, result.ExitCode);
        var lines = result.OutputLines.Select(line => JsonDocument.Parse(line).RootElement).ToDictionary(root => Path.GetFileName(root.GetProperty("image").GetString()!));
        Assert.Equal(Photos.Order(), lines.Keys.Order());
        foreach (var (photo, root) in lines)
        {
            Assert.InRange(root.GetProperty("confidence").GetDouble(), 0, 1);
            Assert.InRange(root.GetProperty("familiarity").GetDouble(), 0, 1);
            Assert.Equal(root.GetProperty("unfamiliar").GetBoolean() || root.GetProperty("confidence").GetDouble() < 0.2, root.GetProperty("unsure").GetBoolean());
        }

        Assert.All(new[] { "chelsea.png", "coffee.png", "rocket.jpg" }, photo => Assert.True(lines[photo].GetProperty("unfamiliar").GetBoolean(), photo));
    }

    [Fact]
    public void Plain_output_marks_an_unsure_caption_with_a_third_column_saying_why()
    {
        var result = CliRunner.Run("caption", Path.Combine(SharedData.Samples, "chelsea.png"));

        Assert.Equal(0, result.ExitCode);
        var parts = result.OutputLines.Single().Split('\t');
        Assert.Equal(3, parts.Length);
        Assert.StartsWith("unsure: unfamiliar photo", parts[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("greedy")]
    [InlineData("--beam")]
    [InlineData("--temperature")]
    public void Begin_with_gives_a_caption_that_starts_with_the_given_words_under_each_decoding(string decoding)
    {
        string[] mode = decoding switch { "--beam" => ["--beam", "3"], "--temperature" => ["--temperature", "0.7", "--seed", "2"], _ => [] };

        var result = CliRunner.Run(["caption", Path.Combine(SharedData.Samples, "chelsea.png"), "--begin-with", "a cat", .. mode]);

        Assert.Equal(0, result.ExitCode);
        var caption = result.OutputLines.Single().Split('\t')[1];
        Assert.StartsWith("a cat ", caption, StringComparison.Ordinal);
        Assert.True(caption.Split(' ').Length > 2, caption);
    }

    [Theory]
    [InlineData("a qwxzv", "--begin-with: 'qwxzv' is not a word this model knows")]
    [InlineData("a, cat", "--begin-with: The words to begin with may hold only letters, digits and spaces, not ','")]
    public void Begin_with_refuses_an_unknown_word_or_a_character_that_is_not_a_word_with_one_error_line(string words, string expected)
    {
        var result = CliRunner.Run("caption", Path.Combine(SharedData.Samples, "chelsea.png"), "--begin-with", words);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.OutputLines);
        Assert.StartsWith("error: " + expected, result.ErrorLines.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_is_walked_and_a_missing_path_is_an_error()
    {
        var folder = Path.Combine(_scratch, "album", "nested");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(SharedData.Samples, "coffee.png"), Path.Combine(folder, "coffee.png"));
        var missing = Path.Combine(_scratch, "nope.jpg");

        var result = CliRunner.Run("caption", Path.Combine(_scratch, "album"), missing, "--temperature", "0.7", "--seed", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.OutputLines);
        Assert.Contains(result.ErrorLines, l => l.StartsWith(missing + "\terror:", StringComparison.Ordinal));
    }

    [Fact]
    public void Seeded_sampling_repeats_itself()
    {
        string[] arguments = ["caption", Path.Combine(SharedData.Samples, "rocket.jpg"), "--temperature", "1.2", "--seed", "9"];

        Assert.Equal(CliRunner.Run(arguments).Output, CliRunner.Run(arguments).Output);
    }

    [Fact]
    public void Beam_and_temperature_together_are_refused()
    {
        var result = CliRunner.Run("caption", Path.Combine(SharedData.Samples, "rocket.jpg"), "--beam", "3", "--temperature", "1");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("either --beam or --temperature", result.Error);
    }

    [Fact]
    public void A_damaged_model_folder_is_refused_with_a_clear_error()
    {
        var result = CliRunner.Run("caption", Path.Combine(SharedData.Samples, "rocket.jpg"), "--model", _scratch);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no manifest.json", result.Error);
    }

    [Fact]
    public void Attention_maps_are_one_valid_png_per_captioned_image_with_a_panel_per_word()
    {
        var maps = Path.Combine(_scratch, "maps");
        string[] photos = ["chelsea.png", "rocket.jpg"];

        var result = CliRunner.Run(["caption", .. photos.Select(p => Path.Combine(SharedData.Samples, p)), "--attention-maps", maps, "--beam", "3"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["chelsea.attention.png", "rocket.attention.png"], Directory.GetFiles(maps).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var (line, photo) in result.OutputLines.Zip(photos))
        {
            var words = line.Split('\t')[1].Split(' ').Length;
            using var picture = SkiaSharp.SKBitmap.Decode(Path.Combine(maps, Path.ChangeExtension(photo, null) + ".attention.png"));
            Assert.NotNull(picture);

            // Panels of 128 px rows, five to a row: the photo and one per word.
            Assert.Equal((words + 1 + 4) / 5, (picture.Height - 30) / (128 + 22 + 6));
        }
    }

    [Fact]
    public void Attention_maps_of_a_show_and_tell_model_are_refused_before_any_work()
    {
        var maps = Path.Combine(_scratch, "maps");

        var result = CliRunner.Run("caption", Path.Combine(SharedData.Samples, "rocket.jpg"), "--model", RepositoryPaths.ShowAndTellModel, "--attention-maps", maps);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.OutputLines);
        Assert.Equal("error: --attention-maps needs an attention model; flickr8k-ensemble-20261129 is show-and-tell.", result.ErrorLines.Single());
        Assert.False(Directory.Exists(maps));
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
