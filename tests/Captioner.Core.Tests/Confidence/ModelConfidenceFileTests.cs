using Captioner.Core.Confidence;
using Captioner.Core.Models;
using Captioner.TestSupport;

namespace Captioner.Core.Tests.Confidence;

public sealed class ModelConfidenceFileTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("captioner-confidence-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void A_model_folder_without_a_confidence_file_still_loads_without_an_assessor()
    {
        using var model = CaptioningModel.LoadFolder(RepositoryPaths.ShowAndTellModel);

        Assert.Null(model.Assessor);
    }

    [Fact]
    public void The_bundled_default_carries_a_calibrated_confidence_file_listed_in_its_manifest()
    {
        using var model = CaptioningModel.LoadFolder(RepositoryPaths.DefaultModel);

        Assert.Contains(ConfidenceFile.FileName, model.Manifest.Files.Keys);
        var file = model.Assessor!.File;
        Assert.Equal(6000, file.Captions.Count);
        Assert.InRange(file.UnfamiliarBelow, 0.3, 0.95);
        Assert.Equal(CaptionSignals.Used, file.Calibration!.Signals);
    }

    [Fact]
    public void A_listed_confidence_file_that_is_missing_or_changed_is_refused()
    {
        var folder = Copy(RepositoryPaths.DefaultModel);
        var path = Path.Combine(folder, ConfidenceFile.FileName);
        var original = File.ReadAllBytes(path);

        File.WriteAllBytes(path, [.. original.Take(original.Length - 2), (byte)' ', (byte)'}']);
        var changed = Assert.Throws<ModelLoadException>(() => CaptioningModel.LoadFolder(folder));
        File.Delete(path);
        var missing = Assert.Throws<ModelLoadException>(() => CaptioningModel.LoadFolder(folder));

        Assert.Contains("SHA-256", changed.Message, StringComparison.Ordinal);
        Assert.Contains("listed in the manifest but missing", missing.Message, StringComparison.Ordinal);
    }

    private string Copy(string source)
    {
        var target = Path.Combine(_scratch, Path.GetFileName(source));
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }
}
