using Captioner.Core.Models;
using Captioner.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Captioner.Training.Model;

/// <summary>
/// The soft-attention decoder (Show, Attend and Tell, Xu et al. 2015): the [49 x 512] region map,
/// standardised per channel, is projected once per image; at each step the previous hidden state scores
/// every region (additive attention), the softmax-weighted context is gated by the state (beta) and fed
/// with the word embedding into an LSTM cell; the new hidden state gives the next word. The mean of the
/// map gives the initial state. Standardisation is stored as buffers and folded into the exported graphs.
/// </summary>
internal sealed class SoftAttentionModule : nn.Module, IAttentionNetwork
{
    private readonly Linear initHidden;
    private readonly Linear initCell;
    private readonly Linear mapProjection;
    private readonly Linear hiddenProjection;
    private readonly Linear score;
    private readonly Linear gate;
    private readonly Embedding embedding;
    private readonly LSTMCell cell;
    private readonly Dropout dropout;
    private readonly Dropout featureDropout;
    private readonly Linear output;
    private readonly Tensor featureMean;
    private readonly Tensor featureScale;

    public SoftAttentionModule(int featureSize, int vocabularySize, int embeddingSize, int hiddenSize, int attentionSize, double dropoutRate, double featureDropoutRate)
        : base(nameof(SoftAttentionModule))
    {
        FeatureSize = featureSize;
        VocabularySize = vocabularySize;
        EmbeddingSize = embeddingSize;
        HiddenSize = hiddenSize;
        AttentionSize = attentionSize;
        initHidden = nn.Linear(featureSize, hiddenSize);
        initCell = nn.Linear(featureSize, hiddenSize);
        mapProjection = nn.Linear(featureSize, attentionSize);
        hiddenProjection = nn.Linear(hiddenSize, attentionSize);
        score = nn.Linear(attentionSize, 1);
        gate = nn.Linear(hiddenSize, featureSize);
        embedding = nn.Embedding(vocabularySize, embeddingSize);
        cell = nn.LSTMCell(embeddingSize + featureSize, hiddenSize);
        dropout = nn.Dropout(dropoutRate);
        featureDropout = nn.Dropout(featureDropoutRate);
        output = nn.Linear(hiddenSize, vocabularySize);
        featureMean = zeros(featureSize);
        featureScale = ones(featureSize);
        register_buffer(nameof(featureMean), featureMean);
        register_buffer(nameof(featureScale), featureScale);
        RegisterComponents();
    }

    public nn.Module Module => this;

    public string Kind => DecoderKinds.SoftAttention;

    public int FeatureSize { get; }

    public int VocabularySize { get; }

    public int EmbeddingSize { get; }

    public int HiddenSize { get; }

    public int AttentionSize { get; }

    /// <summary>Sets the per-channel standardisation from training-set region statistics.</summary>
    public void SetFeatureStatistics(Tensor mean, Tensor standardDeviation)
    {
        using var noGrad = no_grad();
        featureMean.copy_(mean);
        featureScale.copy_(1.0f / standardDeviation.clamp_min(1e-3f));
    }

    /// <summary>
    /// What a batch of raw maps [B, 49, F] gives once per image: the standardised map, its attention
    /// projection [B, 49, A] and the initial state (h0, c0), each [B, H].
    /// </summary>
    public AttentionContext Prepare(Tensor maps)
    {
        using var scope = NewDisposeScope();
        var standardised = (maps - featureMean) * featureScale;
        var pooled = featureDropout.forward(standardised.mean([1]));
        var context = new AttentionContext(
            standardised.MoveToOuterDisposeScope(),
            mapProjection.forward(standardised).MoveToOuterDisposeScope(),
            initHidden.forward(pooled).MoveToOuterDisposeScope(),
            initCell.forward(pooled).MoveToOuterDisposeScope());
        return context;
    }

    /// <summary>
    /// One step for rows whose standardised map and projection are given: logits [R, V], the next
    /// state and the attention weights [R, 49] the step used.
    /// </summary>
    public (Tensor Logits, Tensor Hidden, Tensor Cell, Tensor Attention) Step(Tensor tokens, Tensor hidden, Tensor cellState, Tensor map, Tensor projection)
    {
        using var scope = NewDisposeScope();
        var scores = score.forward(torch.tanh(projection + hiddenProjection.forward(hidden).unsqueeze(1))).squeeze(2);
        var attention = nn.functional.softmax(scores, 1);
        var context = bmm(attention.unsqueeze(1), map).squeeze(1) * torch.sigmoid(gate.forward(hidden));
        var input = dropout.forward(cat([embedding.forward(tokens), context], 1));
        var (nextHidden, nextCell) = cell.forward(input, (hidden, cellState));
        var logits = output.forward(dropout.forward(nextHidden));
        return (logits.MoveToOuterDisposeScope(), nextHidden.MoveToOuterDisposeScope(), nextCell.MoveToOuterDisposeScope(), attention.MoveToOuterDisposeScope());
    }

    public void Export(string directory) => AttentionOnnxExporter.Export(ExportWeights(), directory);

    /// <summary>Weights for export, row-major with torch's shapes; standardisation stays separate (the exporter folds it).</summary>
    public AttentionDecoderWeights ExportWeights()
    {
        using var noGrad = no_grad();
        static float[] Data(Tensor tensor) => tensor.contiguous().cpu().data<float>().ToArray();
        return new AttentionDecoderWeights(
            FeatureSize, VocabularySize, EmbeddingSize, HiddenSize, AttentionSize,
            Data(featureMean), Data(featureScale),
            Data(initHidden.weight!), Data(initHidden.bias!), Data(initCell.weight!), Data(initCell.bias!),
            Data(mapProjection.weight!), Data(mapProjection.bias!),
            Data(hiddenProjection.weight!), Data(hiddenProjection.bias!),
            Data(score.weight!), Data(gate.weight!), Data(gate.bias!),
            Data(embedding.weight!),
            Data(cell.weight_ih!), Data(cell.weight_hh!), Data(cell.bias_ih!), Data(cell.bias_hh!),
            Data(output.weight!), Data(output.bias!));
    }
}

/// <summary>Per-image tensors of <see cref="IAttentionNetwork.Prepare"/>: the standardised map, its projection and the initial state.</summary>
internal sealed record AttentionContext(Tensor Map, Tensor Projection, Tensor Hidden, Tensor Cell);
