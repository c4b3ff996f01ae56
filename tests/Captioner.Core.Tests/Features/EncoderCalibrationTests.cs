using Captioner.Core.Features;
using Captioner.Core.Features.Quantization;
using Captioner.Evaluation.Calibration;

namespace Captioner.Core.Tests.Features;

public sealed class EncoderCalibrationTests : IDisposable
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "encoder");
    private readonly string _scratch = System.IO.Directory.CreateTempSubdirectory("captioner-calibration-").FullName;

    [Fact]
    public void The_committed_table_loads_and_covers_every_activation_the_int8_graph_quantises()
    {
        var calibration = EncoderCalibration.Load(Path.Combine(Directory, EncoderCalibration.FileName));
        var graph = EncoderGraphs.ReadFile(Path.Combine(Directory, EncoderGraphs.ModelFile));

        calibration.EnsureMeasuredOn(graph);
        Assert.Equal(EncoderIdentity.Name, calibration.Encoder);
        Assert.True(calibration.Images >= 100);
        var tensors = Int8EncoderBuilder.CalibratedTensors(EncoderGraphs.WithDynamicBatch(graph).Graph);
        Assert.Equal(tensors.Order(), calibration.Ranges.Keys.Order());
        Assert.All(calibration.Ranges.Values, r => Assert.True(r.Max > 0 && r.Min <= r.Max));
    }

    [Fact]
    public void A_table_measured_on_another_encoder_graph_is_refused()
    {
        var calibration = EncoderCalibration.Load(Path.Combine(Directory, EncoderCalibration.FileName)) with { EncoderSha256 = new string('0', 64) };
        var path = Path.Combine(_scratch, "other.json");
        calibration.Save(path);

        var error = Assert.Throws<InvalidDataException>(() => new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = false, Precision = "int8", CalibrationFile = path }));
        Assert.Contains("calibrate-encoder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_table_names_the_command_that_makes_one()
    {
        var error = Assert.Throws<FileNotFoundException>(() => EncoderCalibration.Load(Path.Combine(_scratch, "none.json")));

        Assert.Contains("calibrate-encoder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_with_a_backwards_range_is_refused()
    {
        var path = Path.Combine(_scratch, "backwards.json");
        File.WriteAllText(path, """{"encoder":"e","encoderSha256":"0","method":"minmax","images":1,"ranges":{"x":{"min":2,"max":1}}}""");

        Assert.Throws<InvalidDataException>(() => EncoderCalibration.Load(path));
    }

    [Fact]
    public void Calibrating_on_a_few_images_gives_a_table_the_int8_encoder_loads()
    {
        var samples = Path.Combine(TestSupport.RepositoryPaths.SharedData, "samples");
        var path = Path.Combine(_scratch, "four.json");

        var calibration = EncoderCalibrator.Calibrate(Directory, [.. new[] { "astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg" }.Select(f => Path.Combine(samples, f))], 100);
        calibration.Save(path);
        using var extractor = new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = false, Precision = "int8", CalibrationFile = path });

        Assert.Equal("minmax", calibration.Method);
        Assert.Equal(4, calibration.Images);
        Assert.Equal(0, calibration.Ranges["ReLU253_Output_0"].Min);
        Assert.True(calibration.Ranges["Input247"].Min < 0);
        Assert.Equal(EncoderPrecision.Int8, extractor.Precision);
    }

    public void Dispose() => System.IO.Directory.Delete(_scratch, recursive: true);
}
