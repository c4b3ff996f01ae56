using Captioner.Core.Features.Quantization;

namespace Captioner.Core.Tests.Features;

public sealed class Int8KernelsTests
{
    [Theory]
    [InlineData("flags\t\t: fpu sse2 avx2 avx512f avx512_vnni", true)]
    [InlineData("flags\t\t: fpu sse2 avx2 avx_vnni", true)]
    [InlineData("flags\t\t: fpu avx2 amx_int8 amx_tile", true)]
    [InlineData("flags\t\t: fpu sse2 avx2 fma", false)]
    [InlineData("model name\t: avx512_vnni in a name, not a flag", false)]
    public void Vnni_or_amx_is_read_from_the_cpu_flags_line(string line, bool expected)
    {
        Assert.Equal(expected, Int8Kernels.CpuFlags(["processor\t: 0", line]));
    }

    [Fact]
    public void Seven_bit_weights_stay_within_minus_63_to_63_and_keep_their_scale_per_channel()
    {
        float[] weights = [1f, -0.6f, 0.25f, 3f, -4f, 1f];

        var (values, scales) = QuantizationMath.QuantizeWeights(weights, 2, levels: 63);

        Assert.Equal([63, -38, 16, 47, -63, 16], values.Select(v => (int)v));
        Assert.Equal([1f / 63, 4f / 63], scales);
    }
}
