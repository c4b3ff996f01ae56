using Captioner.Core.Features.Quantization;

namespace Captioner.Evaluation.Calibration;

/// <summary>
/// Watches one activation over the calibration images: its extremes, then (second pass) a histogram between
/// them, from which a percentile range clips the rare outliers that would otherwise stretch the uint8 scale.
/// </summary>
internal sealed class RangeObserver
{
    private const int Bins = 4096;

    private float _min = float.PositiveInfinity;
    private float _max = float.NegativeInfinity;
    private long[]? _histogram;
    private long _count;

    public void ObserveExtremes(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            _min = Math.Min(_min, v);
            _max = Math.Max(_max, v);
        }
    }

    /// <summary>Counts values into bins spanning the extremes seen; call after every <see cref="ObserveExtremes"/>.</summary>
    public void ObserveHistogram(ReadOnlySpan<float> values)
    {
        _histogram ??= new long[Bins];
        var width = (_max - _min) / Bins;
        if (width <= 0f)
        {
            return;
        }

        var perBin = 1f / width;
        foreach (var v in values)
        {
            _histogram[Math.Clamp((int)((v - _min) * perBin), 0, Bins - 1)]++;
        }

        _count += values.Length;
    }

    /// <summary>
    /// The range holding all but the top and bottom (100 - <paramref name="percentile"/>)% of the values; the full
    /// extremes at 100 or when no histogram was taken.
    /// </summary>
    public ActivationRange Range(double percentile)
    {
        if (percentile >= 100 || _histogram is null || _count == 0)
        {
            return new ActivationRange(_min, _max);
        }

        var width = (_max - _min) / Bins;
        var tail = (long)(_count * (100 - percentile) / 100);
        return new ActivationRange(_min + (Edge(Enumerable.Range(0, Bins), tail) * width), _min + ((Edge(Enumerable.Range(0, Bins).Reverse(), tail) + 1) * width));
    }

    /// <summary>The first bin, walking <paramref name="order"/>, past which more than <paramref name="tail"/> values have been counted.</summary>
    private int Edge(IEnumerable<int> order, long tail)
    {
        long seen = 0;
        foreach (var bin in order)
        {
            seen += _histogram![bin];
            if (seen > tail)
            {
                return bin;
            }
        }

        return 0;
    }
}
