namespace Captioner.Core.Features.Quantization;

/// <summary>
/// What the CPU's int8 kernels can multiply without losing precision. ONNX Runtime's uint8 x int8 products run on VNNI
/// (AVX512-VNNI, AVX-VNNI) or AMX where the CPU has them; on plain AVX2 they go through an instruction that adds pairs of
/// products into int16 and saturates: 255 x 127 x 2 overflows it. There, weights get 7 bits (-63..63, whose pairs fit),
/// as ONNX Runtime's own quantiser does with reduce_range. Measured on an AVX2-only AMD EPYC: 8-bit weights gave int8
/// pooled features a worst cosine of 0.82 to fp32's; 7-bit weights 0.994.
/// </summary>
public static class Int8Kernels
{
    private static readonly Lazy<bool> Vnni = new(() => CpuFlags(File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo") : []));

    /// <summary>The largest weight level to quantise to on this machine: 127 with VNNI or AMX, 63 without.</summary>
    public static int WeightLevels => Vnni.Value ? 127 : 63;

    /// <summary>Whether <c>/proc/cpuinfo</c>-style lines name an int8 dot-product extension.</summary>
    internal static bool CpuFlags(IEnumerable<string> cpuinfo) =>
        cpuinfo.Where(line => line.StartsWith("flags", StringComparison.Ordinal))
            .Take(1)
            .SelectMany(line => line.Split([' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries))
            .Any(flag => flag is "avx512_vnni" or "avx_vnni" or "amx_int8");
}
