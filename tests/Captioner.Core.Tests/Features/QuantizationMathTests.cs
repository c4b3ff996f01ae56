using Captioner.Core.Features.Quantization;

namespace Captioner.Core.Tests.Features;

public class QuantizationMathTests
{
    [Fact]
    public void A_relu_range_maps_zero_to_zero_and_its_maximum_to_255()
    {
        var (scale, zeroPoint) = QuantizationMath.ForActivation(new ActivationRange(0, 51));

        Assert.Equal(0, zeroPoint);
        Assert.Equal(0.2f, scale, 6);
    }

    [Fact]
    public void A_signed_range_puts_zero_exactly_on_a_uint8_step()
    {
        var (scale, zeroPoint) = QuantizationMath.ForActivation(new ActivationRange(-10, 30));

        Assert.Equal(40f / 255, scale, 6);
        Assert.Equal(64, zeroPoint); // round(10 / (40/255)) = round(63.75)
    }

    [Fact]
    public void A_range_away_from_zero_is_widened_to_hold_zero()
    {
        var (scale, zeroPoint) = QuantizationMath.ForActivation(new ActivationRange(5, 255));

        Assert.Equal(0, zeroPoint);
        Assert.Equal(1f, scale, 6);
    }

    [Fact]
    public void The_bias_is_expressed_in_accumulator_units_per_channel()
    {
        Assert.Equal([100, -50], QuantizationMath.QuantizeBias([1f, -1f], 0.1f, [0.1f, 0.2f]));
    }

    [Fact]
    public void An_all_zero_channel_quantises_to_zeros_without_dividing_by_zero()
    {
        var (values, scales) = QuantizationMath.QuantizeWeights([0, 0, 1, -2], 2);

        Assert.Equal([0, 0, 64, -127], values.Select(v => (int)v));
        Assert.Equal(1f, scales[0]);
    }
}
