using System.Globalization;
using Captioner.Core.Confidence;
using Captioner.Core.Decoding;
using Captioner.Core.Models;
using Captioner.Core.Vocabulary;
using Captioner.Evaluation.Data;
using Captioner.Evaluation.Scoring;

namespace Captioner.Evaluation.Confidence;

/// <summary>
/// Fits a model's <see cref="ConfidenceFile"/>: the training photos it compares with (training split only), the
/// unfamiliar threshold (the dev split's 5th percentile of familiarity) and the confidence's calibration (a logistic
/// model on the dev split's beam-3 captions, acceptable meaning per-image CIDEr-D at least <see cref="AcceptableCider"/>).
/// Local training, the training job, <c>ensemble</c> and <c>calibrate-confidence</c> all fit through here.
/// </summary>
public static class ConfidenceFitter
{
    /// <summary>A caption is acceptable at or above this per-image CIDEr-D (against its image's references; about the dev median's 1.4 times).</summary>
    public const double AcceptableCider = 0.5;

    /// <summary>The dev split's familiarity percentile below which a photo is flagged unfamiliar.</summary>
    public const double UnfamiliarPercentile = 5;

    private const double MinimumScale = 1e-6;

    /// <summary>Fewer held-out images than this leave a model uncalibrated.</summary>
    public const int MinimumCalibrationImages = 20;

    /// <summary>The decoding calibration captions are made with (beam 3, the decoding dev scores are reported at).</summary>
    public static DecodingOptions Decoding { get; } = DecodingOptions.BeamSearch(3);

    /// <summary>
    /// Adds the calibration of <paramref name="model"/>'s captions to <paramref name="file"/>, keeping its threshold: the
    /// dev images' decoder inputs and pooled features lie back to back in <paramref name="devInputs"/> and <paramref name="devPooled"/>.
    /// </summary>
    public static ConfidenceFile Calibrate(ConfidenceFile file, CaptioningModel model, float[] devInputs, float[] devPooled, IReadOnlyList<CaptionedImage> dev) =>
        Fit(file, model, devInputs, devPooled, dev, fitThreshold: false);

    /// <summary>
    /// Fits and writes the whole file for the model folder at <paramref name="directory"/>: the training photos as the
    /// reference, then the threshold and the calibration of the model's own captions (loaded from the folder) on dev.
    /// </summary>
    public static (ModelManifest Manifest, ConfidenceFile File) FitFolder(string directory, float[] trainPooled, IReadOnlyList<CaptionedImage> train, float[] devPooled, float[] devMaps, IReadOnlyList<CaptionedImage> dev, string fittedOn)
    {
        ArgumentNullException.ThrowIfNull(train);
        var (scales, packed) = TrainingNeighbours.Pack(trainPooled, train.Count);
        var reference = new ConfidenceFile
        {
            FeatureScales = scales,
            Features = packed,
            Captions = [.. train.Select(image => (IReadOnlyList<string>)[.. image.Captions.Select(c => string.Join(' ', CaptionTokenizer.Tokenize(c)))])],
            FittedOn = fittedOn,
        };
        ConfidenceFile fitted;
        using (var model = CaptioningModel.LoadFolder(directory))
        {
            fitted = Fit(reference, model, model.Decoder.UsesMap ? devMaps : devPooled, devPooled, dev, fitThreshold: true);
        }

        return (Write(directory, fitted), fitted);
    }

    /// <summary>
    /// The threshold (when <paramref name="fitThreshold"/>) and the calibration on dev, from one index of the reference and
    /// one pass of it over the dev photos, whose familiarity and consensus serve both.
    /// </summary>
    private static ConfidenceFile Fit(ConfidenceFile reference, CaptioningModel model, float[] devInputs, float[] devPooled, IReadOnlyList<CaptionedImage> dev, bool fitThreshold)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dev);
        using var assessor = CaptionAssessor.From(reference with { Calibration = null }, "fit");
        if (dev.Count < MinimumCalibrationImages)
        {
            // Too few held-out captions to fit on: the model keeps its familiarity, and results say confidence is unavailable.
            var familiarity = new double[dev.Count];
            assessor.Neighbours.NearestAll(devPooled, dev.Count, new int[dev.Count * assessor.Neighbours.Neighbours], familiarity);
            return reference with { Calibration = null, UnfamiliarBelow = fitThreshold ? Threshold(familiarity) : reference.UnfamiliarBelow };
        }

        var captions = model.Decoder.Decode(devInputs, dev.Count, Decoding);
        var cider = PerImageCider(captions.Select(c => c.Caption).ToList(), dev);
        var assessments = assessor.AssessAll(devPooled, captions);
        var signals = new double[dev.Count][];
        var acceptable = new bool[dev.Count];
        for (var i = 0; i < dev.Count; i++)
        {
            var assessment = assessments[i];
            var meanLogProbability = CaptionSignals.MeanLogProbability(captions[i]);
            signals[i] = [.. CaptionSignals.Used.Select(name => CaptionSignals.Value(name, meanLogProbability, assessment.Consensus, assessment.Familiarity))];
            acceptable[i] = cider[i] >= AcceptableCider;
        }

        var count = CaptionSignals.Used.Count;
        var means = Enumerable.Range(0, count).Select(j => signals.Average(row => row[j])).ToArray();
        // A signal that does not vary on the split (a tiny dev set) keeps a small positive scale, as the file must hold.
        var scales = Enumerable.Range(0, count).Select(j => Math.Max(MinimumScale, Math.Round(Math.Sqrt(signals.Average(row => (row[j] - means[j]) * (row[j] - means[j]))), 6))).ToArray();
        var standardised = signals.Select(row => row.Select((value, j) => (value - means[j]) / scales[j]).ToArray()).ToList();
        var (weights, bias) = LogisticRegression.Fit(standardised, acceptable);
        var share = acceptable.Count(a => a) / (double)dev.Count;
        return reference with
        {
            UnfamiliarBelow = fitThreshold ? Threshold([.. assessments.Select(a => a.Familiarity)]) : reference.UnfamiliarBelow,
            Calibration = new ConfidenceCalibration
            {
                Signals = CaptionSignals.Used,
                Means = [.. means.Select(m => Math.Round(m, 6))],
                Scales = scales,
                Weights = [.. weights.Select(w => Math.Round(w, 6))],
                Bias = Math.Round(bias, 6),
                Definition = string.Create(CultureInfo.InvariantCulture, $"P(per-image CIDEr-D >= {AcceptableCider}) of beam-3 captions, fit on {dev.Count} dev images ({share:P0} acceptable)"),
                AcceptableCider = AcceptableCider,
                Images = dev.Count,
                AcceptableShare = Math.Round(share, 4),
            },
        };
    }

    /// <summary>The dev photos' 5th percentile of familiarity; without held-out photos there is none to learn, and nothing is flagged.</summary>
    private static double Threshold(double[] familiarity) =>
        familiarity.Length == 0 ? 0 : Math.Round(RankStatistics.Percentile(familiarity, UnfamiliarPercentile), 5);

    /// <summary>Writes <paramref name="file"/> into the model folder and the manifest's hash of it.</summary>
    public static ModelManifest Write(string directory, ConfidenceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var manifestPath = Path.Combine(directory, ModelFiles.Manifest);
        var manifest = ModelFiles.Deserialize(File.ReadAllBytes(manifestPath));
        File.WriteAllBytes(Path.Combine(directory, ConfidenceFile.FileName), file.Serialize());
        return ModelFiles.WriteManifest(directory, manifest);
    }

    /// <summary>
    /// The reference the members of an ensemble share (they learned from the same photos), without a calibration (the
    /// ensemble's captions are not its members'); null when a member has none or they differ.
    /// </summary>
    public static ConfidenceFile? SharedReference(IReadOnlyList<string> memberFolders)
    {
        ArgumentNullException.ThrowIfNull(memberFolders);
        ConfidenceFile? shared = null;
        foreach (var folder in memberFolders)
        {
            using var member = CaptioningModel.LoadFolder(folder);
            if (member.Assessor?.File is not { } file)
            {
                return null;
            }

            var reference = file with { Calibration = null };
            if (shared is not null && (shared.Features != reference.Features || !shared.Captions.SelectMany(c => c).SequenceEqual(reference.Captions.SelectMany(c => c), StringComparer.Ordinal)))
            {
                return null;
            }

            shared ??= reference;
        }

        return shared;
    }

    /// <summary>Each caption's CIDEr-D against its own image's references (document frequencies of the whole set).</summary>
    public static double[] PerImageCider(IReadOnlyList<string> captions, IReadOnlyList<CaptionedImage> images)
    {
        ArgumentNullException.ThrowIfNull(captions);
        ArgumentNullException.ThrowIfNull(images);
        var scorer = new CiderD([.. images.Select(image => (IReadOnlyList<string[]>)[.. image.Captions.Select(CaptionTokenizer.Tokenize)])]);
        return [.. captions.Select((caption, i) => scorer.Score(i, CaptionTokenizer.Tokenize(caption)))];
    }
}
