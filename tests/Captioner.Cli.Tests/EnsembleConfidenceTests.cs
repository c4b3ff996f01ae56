using Captioner.Core.Confidence;
using Captioner.Core.Models;
using Captioner.Evaluation.Confidence;
using Captioner.TestSupport;

namespace Captioner.Cli.Tests;

/// <summary><c>ensemble</c> carries its members' familiarity and calibrates the joined model's confidence when given held-out images.</summary>
public sealed class EnsembleConfidenceTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("captioner-ensemble-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void An_ensemble_keeps_its_members_familiarity_and_is_calibrated_on_the_held_out_images_it_is_given()
    {
        // Two members trained on the same photos: the bundled show-and-tell model, given the bundled default's reference.
        var reference = ConfidenceFile.Deserialize(File.ReadAllBytes(Path.Combine(RepositoryPaths.DefaultModel, ConfidenceFile.FileName)), "default") with { Calibration = null };
        var members = new[] { Member("a", reference), Member("b", reference) };
        var split = Path.Combine(_scratch, "dev.txt");
        File.WriteAllLines(split, File.ReadLines(Path.Combine(SharedData.Flickr8k, "split_dev.txt")).Take(ConfidenceFitter.MinimumCalibrationImages + 5));

        var plain = CliRunner.Run([.. new[] { "ensemble" }, .. members, "--out", Path.Combine(_scratch, "plain")]);
        var calibrated = CliRunner.Run([.. new[] { "ensemble" }, .. members, "--out", Path.Combine(_scratch, "calibrated"),
            "--dev-images", Path.Combine(SharedData.Flickr8k, "images"), "--dev-captions", Path.Combine(SharedData.Flickr8k, "captions.tsv"), "--dev-split", split]);

        Assert.Equal((0, 0), (plain.ExitCode, calibrated.ExitCode));
        using var plainModel = CaptioningModel.LoadFolder(Path.Combine(_scratch, "plain"));
        using var calibratedModel = CaptioningModel.LoadFolder(Path.Combine(_scratch, "calibrated"));
        Assert.Equal(reference.Features, plainModel.Assessor!.File.Features);
        Assert.Null(plainModel.Assessor.File.Calibration);
        Assert.Contains("not calibrated", plain.Output, StringComparison.Ordinal);
        Assert.Equal(ConfidenceFitter.MinimumCalibrationImages + 5, calibratedModel.Assessor!.File.Calibration!.Images);
    }

    [Fact]
    public void An_ensemble_of_members_without_a_reference_has_no_confidence_file_and_says_so()
    {
        var members = new[] { Member("a", null), Member("b", null) };

        var result = CliRunner.Run([.. new[] { "ensemble" }, .. members, "--out", Path.Combine(_scratch, "joined")]);

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(Path.Combine(_scratch, "joined", ConfidenceFile.FileName)));
        Assert.Contains("no confidence.json", result.Output, StringComparison.Ordinal);
    }

    private string Member(string name, ConfidenceFile? reference)
    {
        var folder = Path.Combine(_scratch, name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(RepositoryPaths.ShowAndTellModel))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        if (reference is not null)
        {
            ConfidenceFitter.Write(folder, reference);
        }

        return folder;
    }
}
