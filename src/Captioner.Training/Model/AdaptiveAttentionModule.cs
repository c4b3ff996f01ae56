using Captioner.Core.Models;
using Captioner.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Captioner.Training.Model;

/// <summary>
/// Adaptive attention with a visual sentinel (Knowing When to Look, Lu et al. 2017). The LSTM reads the word
/// and the image's global feature v_g = ReLU(W_g mean(map)); its new hidden state h_t then attends over the
/// 49 regions and a sentinel s_t = sigmoid(W_x x_t + W_h h_(t-1)) * tanh(m_t) drawn from its own memory, all
/// scored by one vector; the words come from (c_hat_t + h_t), where c_hat_t mixes the regions' values
/// (W_a of the weighted standardised map) with the sentinel by those weights. Non-visual words ("a", "of")
/// can lean on the sentinel instead of the image. The region weights it reports sum to one minus the
/// sentinel's share. The initial state comes from the map's mean, as in the soft-attention decoder.
/// </summary>
internal sealed class AdaptiveAttentionModule : nn.Module, IAttentionNetwork
{
    private readonly Linear initHidden;
    private readonly Linear initCell;
    private readonly Linear mapProjection;
    private readonly Linear hiddenProjection;
    private readonly Linear sentinelProjection;
    private readonly Linear score;
    private readonly Linear globalFeature;
    private readonly Linear sentinelGate;
    private readonly Linear regionValue;
    private readonly Embedding embedding;
    private readonly LSTMCell cell;
    private readonly Dropout dropout;
    private readonly Dropout featureDropout;
    private readonly Linear output;
    private readonly Tensor featureMean;
    private readonly Tensor featureScale;

    public AdaptiveAttentionModule(int featureSize, int vocabularySize, int embeddingSize, int hiddenSize, int attentionSize, double dropoutRate, double featureDropoutRate)
        : base(nameof(AdaptiveAttentionModule))
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
        sentinelProjection = nn.Linear(hiddenSize, attentionSize, hasBias: false);
        score = nn.Linear(attentionSize, 1);
        globalFeature = nn.Linear(featureSize, embeddingSize);
        sentinelGate = nn.Linear((2 * embeddingSize) + hiddenSize, hiddenSize);
        regionValue = nn.Linear(featureSize, hiddenSize, hasBias: false);
        embedding = nn.Embedding(vocabularySize, embeddingSize);
        cell = nn.LSTMCell(2 * embeddingSize, hiddenSize);
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

    public string Kind => DecoderKinds.AdaptiveAttention;

    public int FeatureSize { get; }

    public int VocabularySize { get; }

    public int EmbeddingSize { get; }

    public int HiddenSize { get; }

    public int AttentionSize { get; }

    public void SetFeatureStatistics(Tensor mean, Tensor standardDeviation)
    {
        using var noGrad = no_grad();
        featureMean.copy_(mean);
        featureScale.copy_(1.0f / standardDeviation.clamp_min(1e-3f));
    }

    public AttentionContext Prepare(Tensor maps)
    {
        using var scope = NewDisposeScope();
        var standardised = (maps - featureMean) * featureScale;
        var pooled = featureDropout.forward(standardised.mean([1]));
        return new AttentionContext(
            standardised.MoveToOuterDisposeScope(),
            mapProjection.forward(standardised).MoveToOuterDisposeScope(),
            initHidden.forward(pooled).MoveToOuterDisposeScope(),
            initCell.forward(pooled).MoveToOuterDisposeScope());
    }

    public (Tensor Logits, Tensor Hidden, Tensor Cell, Tensor Attention) Step(Tensor tokens, Tensor hidden, Tensor cellState, Tensor map, Tensor projection)
    {
        using var scope = NewDisposeScope();

        // The global feature is recomputed from the map each step, as the exported step graph does.
        var global = nn.functional.relu(globalFeature.forward(map.mean([1])));
        var input = dropout.forward(cat([embedding.forward(tokens), global], 1));
        var (nextHidden, nextCell) = cell.forward(input, (hidden, cellState));
        var sentinel = torch.sigmoid(sentinelGate.forward(cat([input, hidden], 1))) * torch.tanh(nextCell);

        var hiddenProjected = hiddenProjection.forward(nextHidden);
        var regionScores = score.forward(torch.tanh(projection + hiddenProjected.unsqueeze(1))).squeeze(2);
        var sentinelScore = score.forward(torch.tanh(sentinelProjection.forward(sentinel) + hiddenProjected));
        var weights = nn.functional.softmax(cat([regionScores, sentinelScore], 1), 1);
        var regions = weights.narrow(1, 0, regionScores.shape[1]);
        var sentinelWeight = weights.narrow(1, regionScores.shape[1], 1);

        var context = regionValue.forward(bmm(regions.unsqueeze(1), map).squeeze(1)) + (sentinelWeight * sentinel);
        var logits = output.forward(dropout.forward(context + nextHidden));
        return (logits.MoveToOuterDisposeScope(), nextHidden.MoveToOuterDisposeScope(), nextCell.MoveToOuterDisposeScope(), regions.contiguous().MoveToOuterDisposeScope());
    }

    public void Export(string directory) => AdaptiveAttentionOnnxExporter.Export(ExportWeights(), directory);

    /// <summary>Weights for export, row-major with torch's shapes; standardisation stays separate (the exporter folds it).</summary>
    public AdaptiveAttentionWeights ExportWeights()
    {
        using var noGrad = no_grad();
        static float[] Data(Tensor tensor) => tensor.contiguous().cpu().data<float>().ToArray();
        return new AdaptiveAttentionWeights(
            FeatureSize, VocabularySize, EmbeddingSize, HiddenSize, AttentionSize,
            Data(featureMean), Data(featureScale),
            Data(initHidden.weight!), Data(initHidden.bias!), Data(initCell.weight!), Data(initCell.bias!),
            Data(mapProjection.weight!), Data(mapProjection.bias!),
            Data(hiddenProjection.weight!), Data(hiddenProjection.bias!),
            Data(sentinelProjection.weight!), Data(score.weight!),
            Data(globalFeature.weight!), Data(globalFeature.bias!),
            Data(sentinelGate.weight!), Data(sentinelGate.bias!),
            Data(regionValue.weight!),
            Data(embedding.weight!),
            Data(cell.weight_ih!), Data(cell.weight_hh!), Data(cell.bias_ih!), Data(cell.bias_hh!),
            Data(output.weight!), Data(output.bias!));
    }
}
