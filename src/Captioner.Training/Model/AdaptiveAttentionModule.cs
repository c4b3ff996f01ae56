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
/// sentinel's share. The once-per-image part (<see cref="AttentionInit"/>) is the soft-attention decoder's.
/// </summary>
internal sealed class AdaptiveAttentionModule : nn.Module, IAttentionNetwork
{
    private readonly AttentionInit init;
    private readonly Linear hiddenProjection;
    private readonly Linear sentinelProjection;
    private readonly Linear score;
    private readonly Linear globalFeature;
    private readonly Linear sentinelGate;
    private readonly Linear regionValue;
    private readonly Embedding embedding;
    private readonly LSTMCell cell;
    private readonly Dropout dropout;
    private readonly Linear output;

    public AdaptiveAttentionModule(int featureSize, int vocabularySize, int embeddingSize, int hiddenSize, int attentionSize, double dropoutRate, double featureDropoutRate)
        : base(nameof(AdaptiveAttentionModule))
    {
        VocabularySize = vocabularySize;
        EmbeddingSize = embeddingSize;
        init = new AttentionInit(featureSize, hiddenSize, attentionSize, featureDropoutRate);
        hiddenProjection = nn.Linear(hiddenSize, attentionSize);
        sentinelProjection = nn.Linear(hiddenSize, attentionSize, hasBias: false);
        score = nn.Linear(attentionSize, 1);
        globalFeature = nn.Linear(featureSize, embeddingSize);
        sentinelGate = nn.Linear((2 * embeddingSize) + hiddenSize, hiddenSize);
        regionValue = nn.Linear(featureSize, hiddenSize, hasBias: false);
        embedding = nn.Embedding(vocabularySize, embeddingSize);
        cell = nn.LSTMCell(2 * embeddingSize, hiddenSize);
        dropout = nn.Dropout(dropoutRate);
        output = nn.Linear(hiddenSize, vocabularySize);
        RegisterComponents();
    }

    public nn.Module Module => this;

    public string Kind => DecoderKinds.AdaptiveAttention;

    public int FeatureSize => init.FeatureSize;

    public int VocabularySize { get; }

    public int EmbeddingSize { get; }

    public int HiddenSize => init.HiddenSize;

    public int AttentionSize => init.AttentionSize;

    public void SetFeatureStatistics(Tensor mean, Tensor standardDeviation) => init.SetFeatureStatistics(mean, standardDeviation);

    public AttentionContext Prepare(Tensor maps) => init.Prepare(maps);

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
        return new AdaptiveAttentionWeights(
            init.ExportWeights(), VocabularySize, EmbeddingSize,
            Weights.Of(hiddenProjection.weight!), Weights.Of(hiddenProjection.bias!),
            Weights.Of(sentinelProjection.weight!), Weights.Of(score.weight!),
            Weights.Of(globalFeature.weight!), Weights.Of(globalFeature.bias!),
            Weights.Of(sentinelGate.weight!), Weights.Of(sentinelGate.bias!),
            Weights.Of(regionValue.weight!),
            Weights.Of(embedding.weight!),
            Weights.Of(cell.weight_ih!), Weights.Of(cell.weight_hh!), Weights.Of(cell.bias_ih!), Weights.Of(cell.bias_hh!),
            Weights.Of(output.weight!), Weights.Of(output.bias!));
    }
}
