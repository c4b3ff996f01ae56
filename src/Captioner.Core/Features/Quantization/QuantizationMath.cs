namespace Captioner.Core.Features.Quantization;

/// <summary>The arithmetic of int8 quantisation: uint8 activations (asymmetric), int8 weights (symmetric, per output channel).</summary>
public static class QuantizationMath
{
    /// <summary>Scale and zero point mapping <paramref name="range"/> (widened to hold 0, so 0 is exact) onto 0..255.</summary>
    public static (float Scale, byte ZeroPoint) ForActivation(ActivationRange range)
    {
        var min = Math.Min(range.Min, 0f);
        var max = Math.Max(range.Max, 0f);
        var scale = (max - min) / 255f;
        if (scale <= 0f || !float.IsFinite(scale))
        {
            return (1f, 0);
        }

        return (scale, (byte)Math.Clamp(MathF.Round(-min / scale), 0f, 255f));
    }

    /// <summary>
    /// Per output channel: scale = max |w| / levels and q = round(w / scale) in -levels..levels (symmetric: no weight zero
    /// point). <paramref name="levels"/> is 127 (-128 left out) for weights stored in model files; the encoder built at load
    /// passes <see cref="Int8Kernels.WeightLevels"/>, 63 on CPUs whose int8 kernels add product pairs in int16.
    /// </summary>
    public static (sbyte[] Values, float[] Scales) QuantizeWeights(float[] weights, int channels, int levels = 127)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(levels, 127);
        var perChannel = weights.Length / channels;
        var values = new sbyte[weights.Length];
        var scales = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var slice = weights.AsSpan(c * perChannel, perChannel);
            var largest = 0f;
            foreach (var w in slice)
            {
                largest = Math.Max(largest, Math.Abs(w));
            }

            var scale = largest > 0f ? largest / levels : 1f;
            scales[c] = scale;
            for (var i = 0; i < perChannel; i++)
            {
                values[(c * perChannel) + i] = (sbyte)Math.Clamp(MathF.Round(slice[i] / scale), -levels, levels);
            }
        }

        return (values, scales);
    }

    /// <summary>The bias in the int32 accumulator's units: input scale x weight scale, per channel.</summary>
    public static int[] QuantizeBias(float[] bias, float inputScale, float[] weightScales)
    {
        var values = new int[bias.Length];
        for (var c = 0; c < bias.Length; c++)
        {
            values[c] = (int)Math.Clamp(Math.Round((double)bias[c] / ((double)inputScale * weightScales[c])), int.MinValue, int.MaxValue);
        }

        return values;
    }
}
