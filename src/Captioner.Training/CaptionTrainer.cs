using Captioner.Evaluation.Data;
using Captioner.Evaluation.Scoring;
using Captioner.Core.Features;
using Captioner.Core.Models;
using Captioner.Core.Vocabulary;
using Captioner.Training.Data;
using Captioner.Training.Model;
using TorchSharp;
using static TorchSharp.torch;
using Captioner.Core.Training;

namespace Captioner.Training;

/// <summary>
/// Trains a decoder one epoch at a time on precomputed features, in one of two phases: cross-entropy
/// (masked, Adam, gradient clipping, a per-epoch learning rate) or self-critical sequence training
/// (Rennie et al. 2017: captions sampled from the model are rewarded by their CIDEr-D against the
/// image's references minus a baseline, the mean reward of the image's other samples or the reward of
/// the model's greedy caption). Checkpoints hold the weights and the optimizer's state so a run can
/// resume in another process.
/// </summary>
internal sealed class CaptionTrainer : IDisposable
{
    private const int DecodeChunk = 500;

    private readonly TrainingOptions _options;
    private readonly CaptionVocabulary _vocabulary;
    private readonly Tensor _trainInputs;
    private readonly Tensor _devInputs;
    private readonly CaptionPairs _train;
    private readonly CaptionPairs _dev;
    private readonly Lazy<CiderD> _trainCider;
    private TorchSharp.Modules.Adam _optimizer;
    private IReadOnlyList<WarmStart.BasePull.Anchor> _anchors = [];

    /// <summary>
    /// A trainer over these features; with <paramref name="warmStart"/> the decoder starts from that base model's weights
    /// (and its feature standardisation) instead of at random, and with <see cref="TrainingOptions.PullToBase"/> every step
    /// pulls the weights the base had back toward the base's.
    /// </summary>
    public CaptionTrainer(TrainingOptions options, CaptionVocabulary vocabulary, ImageFeatureSet trainFeatures, IReadOnlyList<CaptionedImage> trainImages, CaptionPairs train, ImageFeatureSet devFeatures, CaptionPairs dev, WarmStart.BaseMember? warmStart = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trainFeatures);
        ArgumentNullException.ThrowIfNull(devFeatures);
        _options = options;
        _vocabulary = vocabulary;
        if (options.Threads > 0)
        {
            set_num_threads(options.Threads);
        }

        manual_seed(options.Seed);
        _train = train;
        _dev = dev;
        Decoder = CreateDecoder(options, vocabulary.Count);
        if (options.FlipImages && (trainFeatures.Count % 2 != 0 || train.Count % 2 != 0 || trainImages.Count != trainFeatures.Count))
        {
            throw new ArgumentException("Training with flipped images needs the originals followed by their mirrors.", nameof(trainFeatures));
        }

        _trainInputs = InputTensor(trainFeatures);
        _devInputs = InputTensor(devFeatures);
        if (warmStart is null)
        {
            Decoder.SetFeatureStatistics(_trainInputs);
        }
        else
        {
            WarmStart.WarmStartWeights.Apply(Decoder.Module, warmStart, options.Seed);
            _anchors = WarmStart.BasePull.Anchors(Decoder.Module, warmStart);
        }

        _optimizer = optim.Adam(Decoder.Module.parameters(), options.LearningRate);
        _trainCider = new(() => new CiderD([.. trainImages.Select(image => (IReadOnlyList<string[]>)[.. image.Captions.Select(CaptionTokenizer.Tokenize)])]));
    }

    /// <summary>The decoder being trained.</summary>
    public TrainableDecoder Decoder { get; }

    /// <summary>The dev images' decoder inputs, for export checks.</summary>
    public float[] DevInputs(int images) => _devInputs.narrow(0, 0, Math.Min(images, _devInputs.shape[0])).contiguous().data<float>().ToArray();

    /// <summary>Trains one (1-based) cross-entropy epoch over shuffled pairs; returns the mean training loss per token.</summary>
    public double TrainEpoch(int epoch, Action<int, int, double>? onStep = null)
    {
        SetLearningRate(_options.LearningRateAt(epoch));

        // Each epoch seeds its own shuffle and dropout, so an epoch resumed from a checkpoint in another
        // process draws what it would have drawn in one long run.
        manual_seed((_options.Seed * 1000L) + epoch);
        Decoder.Module.train();
        var order = Enumerable.Range(0, Originals(_train.Count)).ToArray();
        new Random((_options.Seed * 1000) + epoch).Shuffle(order);
        ChooseSides(order, epoch);
        var steps = (order.Length + _options.BatchSize - 1) / _options.BatchSize;
        double lossSum = 0;
        long tokens = 0;
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var pairs = order.AsSpan(step * _options.BatchSize, Math.Min(_options.BatchSize, order.Length - (step * _options.BatchSize)));
            var (loss, count) = BatchLoss(_train, _trainInputs, pairs, _options.LabelSmoothing);
            Update(loss / count);
            lossSum += loss.item<float>();
            tokens += count;
            onStep?.Invoke(step + 1, steps, lossSum / tokens);
        }

        return lossSum / tokens;
    }

    /// <summary>
    /// Starts the self-critical phase: a fresh Adam at <see cref="TrainingOptions.SelfCriticalLearningRate"/>
    /// (the cross-entropy moments mean nothing to a reward gradient).
    /// </summary>
    public void StartSelfCritical()
    {
        _optimizer.Dispose();
        _optimizer = optim.Adam(Decoder.Module.parameters(), _options.SelfCriticalLearningRate);
    }

    /// <summary>
    /// Trains one (1-based) self-critical epoch over shuffled training images; returns the mean CIDEr-D
    /// reward of the sampled captions and the mean baseline they were measured against.
    /// </summary>
    public (double Reward, double Baseline) SelfCriticalEpoch(int epoch, Action<int, int, double>? onStep = null)
    {
        SetLearningRate(_options.SelfCriticalLearningRate);
        manual_seed((_options.Seed * 1000L) + epoch);
        var cider = _trainCider.Value;
        var images = Originals((int)_trainInputs.shape[0]);
        var order = Enumerable.Range(0, images).ToArray();
        new Random((_options.Seed * 1000) + epoch).Shuffle(order);
        ChooseSides(order, epoch);
        var batch = _options.SelfCriticalImagesPerBatch;
        var samples = _options.SelfCriticalSamples;
        var steps = (images + batch - 1) / batch;
        double rewardSum = 0, baselineSum = 0;
        var rows = 0;
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var ids = order.Skip(step * batch).Take(batch).ToArray();
            var inputs = _trainInputs.index_select(0, tensor(ids.Select(i => (long)i).ToArray()));

            // The policy is the model as it captions (eval mode, no dropout): the samples (and the greedy baseline,
            // when used) come from the network the workers decode with, and the gradient is that distribution's.
            Decoder.Module.eval();
            var (sampled, logProbability, counts) = Decoder.Sample(inputs, samples, _options.SelfCriticalMaxWords);
            var rewards = sampled.Select((tokens, row) => cider.Score(ids[row / samples], Words(tokens))).ToArray();
            var baseline = _options.SelfCriticalBaseline == SelfCriticalBaselines.Greedy
                ? GreedyRewards(inputs, ids, cider)
                : MeanOfOtherSamples(rewards, samples);
            var advantage = new float[sampled.Length];
            for (var row = 0; row < sampled.Length; row++)
            {
                advantage[row] = (float)(rewards[row] - baseline[row]);
                rewardSum += rewards[row];
            }

            baselineSum += baseline.Sum();
            rows += sampled.Length;
            Update(-(tensor(advantage) * logProbability).sum() / counts.sum());
            onStep?.Invoke(step + 1, steps, rewardSum / rows);
        }

        return (rewardSum / rows, baselineSum / rows);
    }

    /// <summary>Each sample's baseline: the reward of its image's greedy caption (Rennie et al. 2017).</summary>
    private double[] GreedyRewards(Tensor inputs, int[] ids, CiderD cider)
    {
        var greedy = Decoder.GreedyTokens(inputs, _options.SelfCriticalMaxWords);
        var samples = _options.SelfCriticalSamples;
        return [.. Enumerable.Range(0, ids.Length * samples).Select(row => cider.Score(ids[row / samples], Words(greedy[row / samples])))];
    }

    /// <summary>Each sample's baseline: the mean reward of its image's other samples (Luo 2020); no greedy decoding needed.</summary>
    private static double[] MeanOfOtherSamples(double[] rewards, int samples)
    {
        var baseline = new double[rewards.Length];
        for (var row = 0; row < rewards.Length; row++)
        {
            var image = row / samples;
            var sum = 0.0;
            for (var other = image * samples; other < (image + 1) * samples; other++)
            {
                sum += other == row ? 0 : rewards[other];
            }

            baseline[row] = sum / (samples - 1);
        }

        return baseline;
    }

    /// <summary>Mean dev loss per token, without dropout.</summary>
    public double DevLoss()
    {
        Decoder.Module.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        long tokens = 0;
        var order = Enumerable.Range(0, _dev.Count).ToArray();
        for (var start = 0; start < order.Length; start += 512)
        {
            using var scope = NewDisposeScope();
            var (loss, count) = BatchLoss(_dev, _devInputs, order.AsSpan(start, Math.Min(512, order.Length - start)), labelSmoothing: 0);
            lossSum += loss.item<float>();
            tokens += count;
        }

        return lossSum / tokens;
    }

    /// <summary>Greedy token ids for every dev image (no dropout).</summary>
    public int[][] DevGreedyTokens(int maxWords)
    {
        Decoder.Module.eval();
        var result = new List<int[]>();
        for (var start = 0L; start < _devInputs.shape[0]; start += DecodeChunk)
        {
            using var scope = NewDisposeScope();
            result.AddRange(Decoder.GreedyTokens(_devInputs.narrow(0, start, Math.Min(DecodeChunk, _devInputs.shape[0] - start)), maxWords));
        }

        return [.. result];
    }

    /// <summary>Writes the weights to <paramref name="path"/>.</summary>
    public void SaveCheckpoint(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        Decoder.Module.save(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Restores the weights from <paramref name="path"/>.</summary>
    public void LoadCheckpoint(string path) => Decoder.Module.load(path);

    /// <summary>Writes the optimizer's state (Adam moments and step counts) to <paramref name="path"/>, for resuming.</summary>
    public void SaveOptimizerState(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        _optimizer.save_state_dict(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Restores the optimizer's state written by <see cref="SaveOptimizerState"/>.</summary>
    public void LoadOptimizerState(string path) => _optimizer.load_state_dict(path);

    public void Dispose()
    {
        _optimizer.Dispose();
        foreach (var anchor in _anchors)
        {
            anchor.Base.Dispose();
        }

        Decoder.Dispose();
        _trainInputs.Dispose();
        _devInputs.Dispose();
    }

    internal static TrainableDecoder CreateDecoder(TrainingOptions options, int vocabularySize) => options.Decoder switch
    {
        DecoderKinds.ShowAndTell => new ShowAndTellDecoder(new ShowAndTellModule(EncoderIdentity.FeatureSize, vocabularySize, options.EmbeddingSize, options.HiddenSize, options.Dropout, options.FeatureDropout)),
        DecoderKinds.SoftAttention => new AttentionDecoder(new SoftAttentionModule(EncoderIdentity.FeatureSize, vocabularySize, options.EmbeddingSize, options.HiddenSize, options.AttentionSize, options.Dropout, options.FeatureDropout)),
        DecoderKinds.AdaptiveAttention => new AttentionDecoder(new AdaptiveAttentionModule(EncoderIdentity.FeatureSize, vocabularySize, options.EmbeddingSize, options.HiddenSize, options.AttentionSize, options.Dropout, options.FeatureDropout)),
        _ => throw new ArgumentException($"Unknown decoder '{options.Decoder}': use {string.Join(", ", DecoderKinds.All)}."),
    };

    private Tensor InputTensor(ImageFeatureSet features) => Decoder.UsesMap
        ? tensor(features.Maps, [features.Count, EncoderIdentity.Regions, EncoderIdentity.FeatureSize])
        : tensor(features.Pooled, [features.Count, EncoderIdentity.FeatureSize]);

    private string[] Words(int[] tokens) => CaptionTokenizer.Tokenize(_vocabulary.Decode(tokens));

    private void SetLearningRate(double rate)
    {
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }

    // With flipped images the second half of the images and of the caption pairs are the mirrors of the first.
    private int Originals(int count) => _options.FlipImages ? count / 2 : count;

    private void ChooseSides(int[] order, int epoch)
    {
        if (_options.FlipImages)
        {
            MirroredImages.ChooseSides(order, order.Length, (_options.Seed * 1000) + epoch + 500_000);
        }
    }

    private void Update(Tensor loss)
    {
        _optimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(Decoder.Module.parameters(), _options.GradientClip);
        _optimizer.step();
        if (_options.PullToBase > 0)
        {
            WarmStart.BasePull.Step(_anchors, _optimizer.ParamGroups.First().LearningRate * _options.PullToBase);
        }
    }

    /// <summary>Summed token loss of a batch and its number of target tokens.</summary>
    private (Tensor Loss, long Tokens) BatchLoss(CaptionPairs data, Tensor inputs, ReadOnlySpan<int> pairs, double labelSmoothing)
    {
        var imageRows = new long[pairs.Length];
        var sequences = new int[pairs.Length][];
        for (var i = 0; i < pairs.Length; i++)
        {
            imageRows[i] = data.ImageIndex[pairs[i]];
            sequences[i] = data.Sequences[pairs[i]];
        }

        return Decoder.TeacherForcedLoss(inputs.index_select(0, tensor(imageRows)), sequences, labelSmoothing);
    }
}
