using Captioner.Core.Features;

namespace Captioner.Core.Tests.Features;

public class EncoderPrecisionTests
{
    [Theory]
    [InlineData("fp32", EncoderPrecision.Fp32)]
    [InlineData("int8", EncoderPrecision.Int8)]
    [InlineData(" INT8 ", EncoderPrecision.Int8)]
    public void Parses_the_two_precision_words(string word, EncoderPrecision expected) =>
        Assert.Equal(expected, EncoderPrecisions.Parse(word));

    [Theory]
    [InlineData("int4")]
    [InlineData("fp16")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_precision_is_refused_with_the_accepted_words(string? word)
    {
        var error = Assert.Throws<ArgumentException>(() => EncoderPrecisions.Parse(word));

        Assert.Contains("fp32 or int8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_encoder_refuses_an_unknown_precision_before_loading_anything()
    {
        var error = Assert.Throws<ArgumentException>(() => new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = false, Precision = "int4", EncoderDirectory = "/nonexistent" }));

        Assert.Contains("int4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_is_the_default() => Assert.Equal("auto", new FeatureExtractorOptions().Precision);

    [Theory]
    [InlineData("CPU")]
    [InlineData("CPU (CUDA unavailable: libcuda.so.1 not found)")]
    public void Auto_runs_int8_on_the_cpu(string provider) =>
        Assert.Equal((EncoderPrecision.Int8, provider + ", int8"), FeatureExtractor.Settle(EncoderPrecision.Auto, provider));

    [Fact]
    public void Auto_keeps_fp32_on_cuda() =>
        Assert.Equal((EncoderPrecision.Fp32, "CUDA"), FeatureExtractor.Settle(EncoderPrecision.Auto, "CUDA"));

    [Fact]
    public void Int8_on_cuda_falls_back_to_fp32_and_the_provider_line_says_why()
    {
        var (precision, provider) = FeatureExtractor.Settle(EncoderPrecision.Int8, "CUDA");

        Assert.Equal(EncoderPrecision.Fp32, precision);
        Assert.StartsWith("CUDA (int8 asked for; fp32 kept", provider, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CPU")]
    [InlineData("CPU (CUDA unavailable: libcuda.so.1 not found)")]
    public void Int8_on_the_cpu_stays_int8_and_says_so(string provider) =>
        Assert.Equal((EncoderPrecision.Int8, provider + ", int8"), FeatureExtractor.Settle(EncoderPrecision.Int8, provider));

    [Fact]
    public void Fp32_is_left_as_it_is_on_any_provider() =>
        Assert.Equal((EncoderPrecision.Fp32, "CUDA"), FeatureExtractor.Settle(EncoderPrecision.Fp32, "CUDA"));
}
