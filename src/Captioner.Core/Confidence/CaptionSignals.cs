using Captioner.Core.Decoding;

namespace Captioner.Core.Confidence;

/// <summary>
/// What the confidence is computed from, by name (the calibration lists the ones it uses, in its order). Measured on
/// the dev split and kept: the caption's mean log-probability per word (its end included), the consensus with the
/// captions of the nearest training photos, and the photo's familiarity. Measured and left out (no gain in
/// cross-validated rank correlation): the lowest word's log-probability, the length, the beam's margin, the
/// adaptive decoder's sentinel share.
/// </summary>
public static class CaptionSignals
{
    public const string MeanWordLogProbability = "meanWordLogProbability";
    public const string Consensus = "consensus";
    public const string Familiarity = "familiarity";

    /// <summary>The signals a calibration is fit on, in order.</summary>
    public static IReadOnlyList<string> Used { get; } = [MeanWordLogProbability, Consensus, Familiarity];

    /// <summary>The mean log-probability per chosen token (words and the end).</summary>
    public static double MeanLogProbability(DecodedCaption caption)
    {
        ArgumentNullException.ThrowIfNull(caption);
        var tokens = caption.NBest.Count > 0 ? caption.NBest[0].WordLogProbabilities : [];
        return tokens.Count > 0 ? tokens.Average(value => (double)value) : caption.LogProbability;
    }

    /// <summary>The value of signal <paramref name="name"/>; an unknown name is a bug in the file's writer.</summary>
    public static double Value(string name, double meanLogProbability, double consensus, double familiarity) => name switch
    {
        MeanWordLogProbability => meanLogProbability,
        Consensus => consensus,
        Familiarity => familiarity,
        _ => throw new ArgumentException($"Unknown caption signal '{name}'.", nameof(name)),
    };
}
