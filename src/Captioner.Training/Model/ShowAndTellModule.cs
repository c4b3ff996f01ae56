using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Captioner.Training.Model;

/// <summary>
/// The show-and-tell decoder: standardised image features -> linear -> initial LSTM state; word
/// embedding -> LSTM -> dropout -> linear to the vocabulary. Feature standardisation is stored as
/// buffers and folded into the init layer on export.
/// </summary>
internal sealed class ShowAndTellModule : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear initHidden;
    private readonly Linear initCell;
    private readonly Embedding embedding;
    private readonly LSTM lstm;
    private readonly Dropout dropout;
    private readonly Dropout featureDropout;
    private readonly Linear output;
    private readonly Tensor featureMean;
    private readonly Tensor featureScale;

    public ShowAndTellModule(int featureSize, int vocabularySize, int embeddingSize, int hiddenSize, double dropoutRate, double featureDropoutRate = 0)
        : base(nameof(ShowAndTellModule))
    {
        FeatureSize = featureSize;
        VocabularySize = vocabularySize;
        EmbeddingSize = embeddingSize;
        HiddenSize = hiddenSize;
        initHidden = nn.Linear(featureSize, hiddenSize);
        initCell = nn.Linear(featureSize, hiddenSize);
        embedding = nn.Embedding(vocabularySize, embeddingSize);
        lstm = nn.LSTM(embeddingSize, hiddenSize, numLayers: 1, batchFirst: true);
        dropout = nn.Dropout(dropoutRate);
        featureDropout = nn.Dropout(featureDropoutRate);
        output = nn.Linear(hiddenSize, vocabularySize);
        featureMean = zeros(featureSize);
        featureScale = ones(featureSize);
        register_buffer(nameof(featureMean), featureMean);
        register_buffer(nameof(featureScale), featureScale);
        RegisterComponents();
    }

    public int FeatureSize { get; }

    public int VocabularySize { get; }

    public int EmbeddingSize { get; }

    public int HiddenSize { get; }

    /// <summary>Sets the standardisation from training-set feature statistics.</summary>
    public void SetFeatureStatistics(Tensor mean, Tensor standardDeviation)
    {
        using var noGrad = no_grad();
        featureMean.copy_(mean);
        featureScale.copy_(1.0f / standardDeviation.clamp_min(1e-3f));
    }

    /// <summary>Initial LSTM state for a batch of features: (h0, c0), each [B, H].</summary>
    public (Tensor Hidden, Tensor Cell) InitialState(Tensor features)
    {
        using var scope = NewDisposeScope();
        var standardised = featureDropout.forward((features - featureMean) * featureScale);
        var hidden = initHidden.forward(standardised);
        var cell = initCell.forward(standardised);
        return (hidden.MoveToOuterDisposeScope(), cell.MoveToOuterDisposeScope());
    }

    /// <summary>Teacher-forced logits [B, T, V] for input tokens [B, T].</summary>
    public override Tensor forward(Tensor features, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var (hidden, cell) = InitialState(features);
        var embedded = dropout.forward(embedding.forward(tokens));
        var (outputs, _, _) = lstm.forward(embedded, (hidden.unsqueeze(0), cell.unsqueeze(0)));
        return output.forward(dropout.forward(outputs)).MoveToOuterDisposeScope();
    }

    /// <summary>One decoding step (eval mode): log-probabilities [B, V] and the next state.</summary>
    public (Tensor LogProbabilities, Tensor Hidden, Tensor Cell) Step(Tensor tokens, Tensor hidden, Tensor cell)
    {
        using var scope = NewDisposeScope();
        var embedded = embedding.forward(tokens).unsqueeze(1);
        var (outputs, nextHidden, nextCell) = lstm.forward(embedded, (hidden.unsqueeze(0), cell.unsqueeze(0)));
        var logProbabilities = nn.functional.log_softmax(output.forward(outputs.squeeze(1)), 1);
        return (logProbabilities.MoveToOuterDisposeScope(), nextHidden.squeeze(0).MoveToOuterDisposeScope(), nextCell.squeeze(0).MoveToOuterDisposeScope());
    }

    /// <summary>Weights for export, as row-major float arrays with torch's shapes.</summary>
    public DecoderWeights ExportWeights()
    {
        using var noGrad = no_grad();

        // Fold standardisation into the init layers: W((x - m) * s) + b = (W * s) x + (b - W (m * s)).
        var scaledMean = featureMean * featureScale;
        var hiddenWeight = initHidden.weight! * featureScale;
        var hiddenBias = initHidden.bias! - matmul(initHidden.weight!, scaledMean);
        var cellWeight = initCell.weight! * featureScale;
        var cellBias = initCell.bias! - matmul(initCell.weight!, scaledMean);
        return new DecoderWeights(
            FeatureSize, VocabularySize, EmbeddingSize, HiddenSize,
            Weights.Of(hiddenWeight), Weights.Of(hiddenBias), Weights.Of(cellWeight), Weights.Of(cellBias),
            Weights.Of(embedding.weight!),
            Weights.Of(lstm.get_parameter("weight_ih_l0")!), Weights.Of(lstm.get_parameter("weight_hh_l0")!),
            Weights.Of(lstm.get_parameter("bias_ih_l0")!), Weights.Of(lstm.get_parameter("bias_hh_l0")!),
            Weights.Of(output.weight!), Weights.Of(output.bias!));
    }
}
