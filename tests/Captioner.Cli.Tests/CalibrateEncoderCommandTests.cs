using System.Text.Json;

namespace Captioner.Cli.Tests;

public sealed class CalibrateEncoderCommandTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("captioner-calibrate-").FullName;

    [Fact]
    public void Calibrating_on_training_images_writes_a_table_with_the_encoder_and_a_range_per_activation()
    {
        var table = Path.Combine(_scratch, "table.json");

        var result = CliRunner.Run("calibrate-encoder", "--images", Path.Combine(SharedData.Flickr8k, "images"), "--split", Path.Combine(SharedData.Flickr8k, "split_train.txt"), "--count", "6", "--out", table);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("32 activation ranges (percentile 99.9995, 6 images)", result.Output, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(File.ReadAllText(table));
        var root = document.RootElement;
        Assert.StartsWith("resnet18", root.GetProperty("encoder").GetString(), StringComparison.Ordinal);
        Assert.Equal(64, root.GetProperty("encoderSha256").GetString()!.Length);
        Assert.Equal(6, root.GetProperty("images").GetInt32());
        Assert.Equal(32, root.GetProperty("ranges").EnumerateObject().Count());
    }

    [Theory]
    [InlineData("no-such-folder", null, "3", "no such image folder")]
    [InlineData(null, "no-such-split.txt", "3", "no such split file")]
    [InlineData(null, null, "0", "--count must be at least 1")]
    [InlineData(null, null, "100000", "asks for more images")]
    public void A_bad_request_is_one_error_line_and_exit_code_2(string? folder, string? split, string count, string expected)
    {
        var images = folder is null ? Path.Combine(SharedData.Flickr8k, "images") : Path.Combine(_scratch, folder);
        string[] arguments = ["calibrate-encoder", "--images", images, "--count", count, "--out", Path.Combine(_scratch, "t.json")];
        if (split is not null)
        {
            arguments = [.. arguments, "--split", Path.Combine(_scratch, split)];
        }

        var result = CliRunner.Run(arguments);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_image_in_the_calibration_set_is_named_in_the_error()
    {
        var folder = Path.Combine(_scratch, "photos");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(SharedData.Samples, "chelsea.png"), Path.Combine(folder, "a.png"));
        File.Copy(Path.Combine(SharedData.Samples, "truncated.jpg"), Path.Combine(folder, "b.jpg"));

        var result = CliRunner.Run("calibrate-encoder", "--images", folder, "--count", "2", "--out", Path.Combine(_scratch, "t.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.ErrorLines, l => l.StartsWith("error: ", StringComparison.Ordinal) && l.Contains("b.jpg", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
