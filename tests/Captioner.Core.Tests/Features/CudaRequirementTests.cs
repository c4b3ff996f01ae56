using System.Runtime.InteropServices;
using Captioner.Core.Features;

namespace Captioner.Core.Tests.Features;

/// <summary>A required CUDA either runs or stops the encoder with one line naming what is missing; a preferred one falls back to the CPU.</summary>
public class CudaRequirementTests
{
    private static bool HasGpuDriver => NativeLibrary.TryLoad("libcuda.so.1", out _);

    [Fact]
    public void Required_CUDA_runs_on_CUDA_or_stops_the_encoder_with_one_line_naming_the_missing_library_or_driver()
    {
        if (HasGpuDriver)
        {
            try
            {
                using var extractor = new FeatureExtractor(new FeatureExtractorOptions { RequireCuda = true });
                Assert.True(extractor.UsesCuda, extractor.ExecutionProvider);
            }
            catch (CudaRequiredException ex)
            {
                Assert.DoesNotContain('\n', ex.Message);
            }

            return;
        }

        var error = Assert.Throws<CudaRequiredException>(() => new FeatureExtractor(new FeatureExtractorOptions { RequireCuda = true }));

        Assert.Equal("Captioner:Encoder:RequireCuda is set but the encoder cannot run on CUDA: libcuda.so.1 not found", error.Message);
    }

    [Fact]
    public void Preferred_CUDA_falls_back_to_the_CPU_and_says_why_when_it_cannot_be_used()
    {
        using var extractor = new FeatureExtractor(new FeatureExtractorOptions { PreferCuda = true, Precision = "fp32" });

        if (!HasGpuDriver)
        {
            Assert.False(extractor.UsesCuda);
            Assert.Equal("CPU (CUDA unavailable: libcuda.so.1 not found)", extractor.ExecutionProvider);
        }
        else
        {
            Assert.True(extractor.UsesCuda || extractor.ExecutionProvider.StartsWith("CPU (CUDA unavailable", StringComparison.Ordinal), extractor.ExecutionProvider);
        }
    }

    [Fact]
    public void Cuda_is_not_required_unless_asked_for() =>
        Assert.False(new FeatureExtractorOptions().RequireCuda);
}
