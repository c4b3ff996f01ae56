using System.Globalization;
using Captioner.Core.Confidence;
using Captioner.Core.Decoding;
using Captioner.Core.Features;
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

    /// <summary>The reference set of <paramref name="train"/> (pooled features back to back in <paramref name="trainPooled"/>) and the threshold from the dev photos' pooled features.</summary>
    public static ConfidenceFile FitReference(ReadOnlySpan<float> trainPooled, IReadOnlyList<CaptionedImage> train, ReadOnlySpan<float> devPooled, string fittedOn)
    {
        ArgumentNullException.ThrowIfNull(train);
        var (scales, packed) = TrainingNeighbours.Pack(trainPooled, train.Count);
        var file = new ConfidenceFile
        {
            FeatureScales = scales,
            Features = packed,
            Captions = [.. train.Select(image => (IReadOnlyList<string>)[.. image.Captions.Select(c => string.Join(' ', CaptionTokenizer.Tokenize(c)))])],
            FittedOn = fittedOn,
        };
        using var neighbours = TrainingNeighbours.From(file, "fit");
        var devCount = devPooled.Length / EncoderIdentity.FeatureSize;
        var familiarity = new double[devCount];
        var nearest = new int[devCount * neighbours.Neighbours];
        neighbours.NearestAll(devPooled, devCount, nearest, familiarity);

        // Without held-out photos there is no threshold to learn: nothing is flagged.
        return file with { UnfamiliarBelow = devCount == 0 ? 0 : Math.Round(RankStatistics.Percentile(familiarity, UnfamiliarPercentile), 5) };
    }

    /// <summary>
    /// Adds the calibration of <paramref name="model"/>'s captions to <paramref name="file"/>: the dev images' decoder inputs
    /// and pooled features lie back to back in <paramref name="devInputs"/> and <paramref name="devPooled"/>.
    /// </summary>
    public static ConfidenceFile Calibrate(ConfidenceFile file, CaptioningModel model, float[] devInputs, float[] devPooled, IReadOnlyList<CaptionedImage> dev)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dev);
        if (dev.Count < MinimumCalibrationImages)
        {
            // Too few held-out captions to fit on: the model keeps its familiarity, and results say confidence is unavailable.
            return file with { Calibration = null };
        }

        using var assessor = CaptionAssessor.From(file with { Calibration = null }, "fit");
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
        return file with
        {
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
    /// Fits and writes the whole file for the model folder at <paramref name="directory"/>: reference and threshold, then
    /// the calibration of the model's own captions (loaded from the folder).
    /// </summary>
    public static ModelManifest FitFolder(string directory, float[] trainPooled, IReadOnlyList<CaptionedImage> train, float[] devPooled, float[] devMaps, IReadOnlyList<CaptionedImage> dev, string fittedOn)
    {
        var reference = FitReference(trainPooled, train, devPooled, fittedOn);
        ConfidenceFile calibrated;
        using (var model = CaptioningModel.LoadFolder(directory))
        {
            calibrated = Calibrate(reference, model, model.Decoder.UsesMap ? devMaps : devPooled, devPooled, dev);
        }

        return Write(directory, calibrated);
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
