using Captioner.Core.Features.Quantization;
using Captioner.Evaluation.Calibration;

namespace Captioner.Core.Tests.Features;

public class RangeObserverTests
{
    [Fact]
    public void Min_max_keeps_the_outlier_and_a_percentile_clips_it()
    {
        var values = Enumerable.Range(0, 100_000).Select(i => i / 1000f).Append(10_000f).ToArray();
        var observer = new RangeObserver();
        observer.ObserveExtremes(values);
        observer.ObserveHistogram(values);

        Assert.Equal(new ActivationRange(0, 10_000), observer.Range(100));
        var clipped = observer.Range(99.99);
        Assert.Equal(0, clipped.Min);
        Assert.InRange(clipped.Max, 99f, 110f); // the top 0.01% (10 values and the outlier) left out, to a bin's width (2.4)
    }
}
