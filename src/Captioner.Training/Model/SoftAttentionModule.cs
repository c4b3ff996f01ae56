using Captioner.Core.Models;
using Captioner.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Captioner.Training.Model;

/// <summary>
/// The soft-attention decoder (Show, Attend and Tell, Xu et al. 2015): the [49 x 512] region map, standardised per
/// channel, is projected once per image (<see cref="AttentionInit"/>); at each step the previous hidden state scores
/// every region (additive attention), the softmax-weighted context is gated by the state (beta) and fed with the
/// word embedding into an LSTM cell; the new hidden state gives the next word.
/// </summary>
internal sealed class SoftAttentionModule : nn.Module, IAttentionNetwork
{
    private readonly AttentionInit init;
    private readonly Linear hiddenProjection;
    private readonly Linear score;
    private readonly Linear gate;
    private readonly Embedding embedding;
    private readonly LSTMCell cell;
    private readonly Dropout dropout;
    private readonly Linear output;

    public SoftAttentionModule(int featureSize, int vocabularySize, int embeddingSize, int hiddenSize, int attentionSize, double dropoutRate, double featureDropoutRate)
        : base(nameof(SoftAttentionModule))
    {
        VocabularySize = vocabularySize;
        EmbeddingSize = embeddingSize;
        init = new AttentionInit(featureSize, hiddenSize, attentionSize, featureDropoutRate);
        hiddenProjection = nn.Linear(hiddenSize, attentionSize);
        score = nn.Linear(attentionSize, 1);
        gate = nn.Linear(hiddenSize, featureSize);
        embedding = nn.Embedding(vocabularySize, embeddingSize);
        cell = nn.LSTMCell(embeddingSize + featureSize, hiddenSize);
        dropout = nn.Dropout(dropoutRate);
        output = nn.Linear(hiddenSize, vocabularySize);
        RegisterComponents();
    }

    public nn.Module Module => this;

    public string Kind => DecoderKinds.SoftAttention;

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
        return new AttentionDecoderWeights(
            init.ExportWeights(), VocabularySize, EmbeddingSize,
            Weights.Of(hiddenProjection.weight!), Weights.Of(hiddenProjection.bias!),
            Weights.Of(score.weight!), Weights.Of(gate.weight!), Weights.Of(gate.bias!),
            Weights.Of(embedding.weight!),
            Weights.Of(cell.weight_ih!), Weights.Of(cell.weight_hh!), Weights.Of(cell.bias_ih!), Weights.Of(cell.bias_hh!),
            Weights.Of(output.weight!), Weights.Of(output.bias!));
    }
}
