using System.Diagnostics;

namespace Captioner.Benchmarks;

/// <summary>
/// Times a baseline and a candidate in alternating rounds, so a busy neighbour on the machine slows both alike: the
/// medians count, and the ratio is the median of each round's own candidate / baseline ratio, which such load
/// disturbs least (single timings of the decoders varied by a quarter from run to run on 2 cores).
/// </summary>
internal sealed record AlternatingRounds(IReadOnlyList<TimeSpan> Baseline, IReadOnlyList<TimeSpan> Candidate)
{
    public TimeSpan BaselineMedian => Median(Baseline);

    public TimeSpan CandidateMedian => Median(Candidate);

    /// <summary>The median of the rounds' candidate / baseline time ratios.</summary>
    public double Ratio => Baseline.Zip(Candidate, (b, c) => c / b).Order().ElementAt(Baseline.Count / 2);

    /// <summary>Runs each action once to warm it, then <paramref name="rounds"/> rounds of baseline then candidate.</summary>
    public static AlternatingRounds Measure(Action baseline, Action candidate, int rounds)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        baseline();
        candidate();
        var baselineTimes = new List<TimeSpan>();
        var candidateTimes = new List<TimeSpan>();
        for (var round = 0; round < rounds; round++)
        {
            baselineTimes.Add(Time(baseline));
            candidateTimes.Add(Time(candidate));
        }

        return new AlternatingRounds(baselineTimes, candidateTimes);
    }

    /// <summary>Each round's time per item in milliseconds, for the log.</summary>
    public static string PerItem(IReadOnlyList<TimeSpan> times, int items) =>
        string.Join(", ", times.Select(t => (t.TotalMilliseconds / items).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));

    private static TimeSpan Median(IReadOnlyList<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    private static TimeSpan Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed;
    }
}
