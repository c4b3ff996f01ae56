using Captioner.Core.Models;

namespace Captioner.Core.Training;

/// <summary>Training settings. Defaults were picked by measurement on the Flickr8k dev split (see docs/model-and-training.md).</summary>
public sealed partial class TrainingOptions
{
    /// <summary>The values of <see cref="SelectBy"/>.</summary>
    public const string SelectByLoss = "loss", SelectByCider = "cider";

    /// <summary>
    /// The decoder kind: <c>adaptive-attention</c> (attention over the 49 image regions and a visual sentinel; measured
    /// best on dev), <c>soft-attention</c> (the regions only) or <c>show-and-tell</c> (pooled features only).
    /// </summary>
    public string Decoder { get; set; } = DecoderKinds.AdaptiveAttention;

    /// <summary>Size of the attention projection (attention decoders).</summary>
    public int AttentionSize { get; set; } = 512;

    /// <summary>Word embedding size.</summary>
    public int EmbeddingSize { get; set; } = 256;

    /// <summary>LSTM hidden (and cell) size.</summary>
    public int HiddenSize { get; set; } = 512;

    /// <summary>Dropout on embeddings and LSTM outputs.</summary>
    public double Dropout { get; set; } = 0.5;

    /// <summary>Dropout on the standardised image features (0.5: without it dev loss rose from epoch 6, see docs/model-and-training.md).</summary>
    public double FeatureDropout { get; set; } = 0.5;

    /// <summary>Label smoothing of the training loss (0 = plain cross-entropy; dev loss is always plain).</summary>
    public double LabelSmoothing { get; set; }

    /// <summary>
    /// Horizontally flipped training photos as extra examples: each epoch every caption (and, self-critical, every
    /// image) is shown flipped or not at random, with "left" and "right" swapped in the flipped photo's captions.
    /// An epoch costs what it did without; the flipped photos' features are extracted once, beside the others.
    /// </summary>
    public bool FlipImages { get; set; }

    /// <summary>Words below this count in the training captions become <c>#UNK#</c>.</summary>
    public int MinWordCount { get; set; } = 5;

    /// <summary>
    /// Fine-tuning from a model (warm start): words the base model does not know join the vocabulary when the new
    /// captions use them at least this many times (the base's words stay, whatever their count here).
    /// </summary>
    public int NewWordMinCount { get; set; } = 2;

    /// <summary>
    /// Fine-tuning from a model: weight of the pull toward the base model's weights, the squared distance of every
    /// weight the base had summed and added to the loss per token (L2-SP, Li et al. 2018); 0 leaves the weights free.
    /// </summary>
    public double PullToBase { get; set; }

    /// <summary>Captions are cut to this many words (plus start and end tokens).</summary>
    public int MaxWords { get; set; } = 24;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; set; } = 2e-3;

    /// <summary>Learning rate multiplier applied every epoch from <see cref="DecayFromEpoch"/> on.</summary>
    public double LearningRateDecay { get; set; } = 0.8;

    /// <summary>The first (1-based) epoch whose learning rate is decayed.</summary>
    public int DecayFromEpoch { get; set; } = 4;

    /// <summary>Caption pairs per Adam step.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Most epochs to run.</summary>
    public int MaxEpochs { get; set; } = 15;

    /// <summary>Stop after this many epochs without a better dev score (see <see cref="SelectBy"/>).</summary>
    public int Patience { get; set; } = 3;

    /// <summary>
    /// Which dev score picks the checkpoint and drives early stopping: <c>loss</c> (dev cross-entropy)
    /// or <c>cider</c> (CIDEr-D of greedy captions of the dev images, decoded each epoch).
    /// </summary>
    public string SelectBy { get; set; } = SelectByCider;

    /// <summary>Self-critical epochs after cross-entropy training (0: none). They start from the best cross-entropy checkpoint.</summary>
    public int SelfCriticalEpochs { get; set; } = 12;

    /// <summary>Adam learning rate of the self-critical phase (constant).</summary>
    public double SelfCriticalLearningRate { get; set; } = 5e-5;

    /// <summary>
    /// What a sampled caption's reward is compared with: <c>samples</c> (the mean reward of the image's other
    /// samples, Luo 2020) or <c>greedy</c> (the reward of the image's greedy caption, Rennie et al. 2017).
    /// Measured on Flickr8k (docs/model-and-training.md): from the same cross-entropy checkpoint, one epoch with <c>samples</c> took
    /// dev greedy CIDEr-D from 0.444 to 0.478; with <c>greedy</c> the samples scored far below the greedy caption
    /// (0.32 against 0.75), nearly every advantage was negative, and dev CIDEr-D fell (to 0.06 at 1e-4).
    /// </summary>
    public string SelfCriticalBaseline { get; set; } = SelfCriticalBaselines.Samples;

    /// <summary>Captions sampled per image in the self-critical phase (at least 2 with the <c>samples</c> baseline).</summary>
    public int SelfCriticalSamples { get; set; } = 5;

    /// <summary>Longest caption sampled in the self-critical phase (as in Rennie et al.; CIDEr-D's length penalty makes longer ones poor anyway).</summary>
    public int SelfCriticalMaxWords { get; set; } = 16;

    /// <summary>Images per Adam step in the self-critical phase.</summary>
    public int SelfCriticalImagesPerBatch { get; set; } = 16;

    /// <summary>Gradient norm clip.</summary>
    public double GradientClip { get; set; } = 5.0;

    /// <summary>Random seed for initialisation and shuffling.</summary>
    public int Seed { get; set; } = 7;

    /// <summary>Torch CPU threads; 0 keeps Torch's default.</summary>
    public int Threads { get; set; }

    /// <summary>
    /// The settings fine-tuning from a model starts with (<c>train --from</c>, a job's <c>"from"</c>), each of which a
    /// request may still set: a quarter of the from-scratch learning rate without decay, a few epochs with the checkpoint
    /// picked by dev CIDEr-D, a light pull toward the base (measured with <c>scripts/bench-adapt.sh</c>: docs/model-and-training.md).
    /// </summary>
    public static TrainingOptions FineTuning() => new()
    {
        LearningRate = 5e-4,
        LearningRateDecay = 1,
        MaxEpochs = 8,
        Patience = 8,
        PullToBase = 0,
        SelfCriticalEpochs = 0,
    };

    /// <summary>Learning rate for a (1-based) epoch.</summary>
    public double LearningRateAt(int epoch) =>
        LearningRate * Math.Pow(LearningRateDecay, Math.Max(0, epoch - DecayFromEpoch + 1));
}
