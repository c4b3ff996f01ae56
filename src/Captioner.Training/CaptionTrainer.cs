using Captioner.Core.Features;
using Captioner.Core.Vocabulary;
using Captioner.Training.Data;
using Captioner.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Captioner.Training;

/// <summary>
/// Trains the decoder one epoch at a time on precomputed features: masked cross-entropy, Adam,
/// gradient clipping, a per-epoch learning rate. Checkpoints hold the weights so a run can resume.
/// </summary>
internal sealed class CaptionTrainer : IDisposable
{
    private readonly TrainingOptions _options;
    private readonly Tensor _trainFeatures;
    private readonly Tensor _devFeatures;
    private readonly CaptionPairs _train;
    private readonly CaptionPairs _dev;
    private readonly TorchSharp.Modules.Adam _optimizer;

    public CaptionTrainer(TrainingOptions options, int vocabularySize, float[] trainFeatures, CaptionPairs train, float[] devFeatures, CaptionPairs dev)
    {
        _options = options;
        if (options.Threads > 0)
        {
            set_num_threads(options.Threads);
        }

        manual_seed(options.Seed);
        _train = train;
        _dev = dev;
        _trainFeatures = tensor(trainFeatures, [trainFeatures.Length / EncoderIdentity.FeatureSize, EncoderIdentity.FeatureSize]);
        _devFeatures = tensor(devFeatures, [devFeatures.Length / EncoderIdentity.FeatureSize, EncoderIdentity.FeatureSize]);
        Module = new ShowAndTellModule(EncoderIdentity.FeatureSize, vocabularySize, options.EmbeddingSize, options.HiddenSize, options.Dropout, options.FeatureDropout);
        Module.SetFeatureStatistics(_trainFeatures.mean([0]), _trainFeatures.std([0]));
        _optimizer = optim.Adam(Module.parameters(), options.LearningRate);
    }

    /// <summary>The model being trained.</summary>
    public ShowAndTellModule Module { get; }

    /// <summary>Trains one (1-based) epoch over shuffled pairs; returns the mean training loss per token.</summary>
    public double TrainEpoch(int epoch, Action<int, int, double>? onStep = null)
    {
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = _options.LearningRateAt(epoch);
        }

        // Each epoch seeds its own shuffle and dropout, so an epoch resumed from a checkpoint in another
        // process draws what it would have drawn in one long run.
        manual_seed((_options.Seed * 1000L) + epoch);
        Module.train();
        var order = Enumerable.Range(0, _train.Count).ToArray();
        new Random((_options.Seed * 1000) + epoch).Shuffle(order);
        var steps = (order.Length + _options.BatchSize - 1) / _options.BatchSize;
        double lossSum = 0;
        long tokens = 0;
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var pairs = order.AsSpan(step * _options.BatchSize, Math.Min(_options.BatchSize, order.Length - (step * _options.BatchSize)));
            var (loss, count) = BatchLoss(_train, _trainFeatures, pairs, _options.LabelSmoothing);
            _optimizer.zero_grad();
            (loss / count).backward();
            nn.utils.clip_grad_norm_(Module.parameters(), _options.GradientClip);
            _optimizer.step();
            lossSum += loss.item<float>();
            tokens += count;
            onStep?.Invoke(step + 1, steps, lossSum / tokens);
        }

        return lossSum / tokens;
    }

    /// <summary>Mean dev loss per token, without dropout.</summary>
    public double DevLoss()
    {
        Module.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        long tokens = 0;
        var order = Enumerable.Range(0, _dev.Count).ToArray();
        for (var start = 0; start < order.Length; start += 512)
        {
            using var scope = NewDisposeScope();
            var (loss, count) = BatchLoss(_dev, _devFeatures, order.AsSpan(start, Math.Min(512, order.Length - start)), labelSmoothing: 0);
            lossSum += loss.item<float>();
            tokens += count;
        }

        return lossSum / tokens;
    }

    /// <summary>Greedy token ids for every dev image (no dropout).</summary>
    public int[][] DevGreedyTokens(int maxWords)
    {
        Module.eval();
        return Module.GreedyTokens(_devFeatures, maxWords);
    }

    /// <summary>Writes the weights to <paramref name="path"/>.</summary>
    public void SaveCheckpoint(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        Module.save(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Restores the weights from <paramref name="path"/>.</summary>
    public void LoadCheckpoint(string path) => Module.load(path);

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
        Module.Dispose();
        _trainFeatures.Dispose();
        _devFeatures.Dispose();
    }

    /// <summary>Summed token loss of a batch and its number of non-padding target tokens.</summary>
    private (Tensor Loss, long Tokens) BatchLoss(CaptionPairs data, Tensor features, ReadOnlySpan<int> pairs, double labelSmoothing)
    {
        var (inputs, targets, length) = data.Batch(pairs);
        var imageRows = new long[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            imageRows[i] = data.ImageIndex[pairs[i]];
        }

        var batchFeatures = features.index_select(0, tensor(imageRows));
        var logits = Module.forward(batchFeatures, tensor(inputs, [pairs.Length, length]));
        var targetTensor = tensor(targets, [pairs.Length * length]);
        var loss = nn.functional.cross_entropy(logits.reshape(-1, Module.VocabularySize), targetTensor, ignore_index: SpecialTokens.PadId, reduction: nn.Reduction.Sum, label_smoothing: labelSmoothing);
        var count = targets.LongCount(t => t != SpecialTokens.PadId);
        return (loss, count);
    }
}
