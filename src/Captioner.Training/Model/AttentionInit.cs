using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Captioner.Training.Model;

/// <summary>
/// What every attention kind does once per image: standardises the raw [B, 49, F] map per channel (statistics of
/// the training regions, kept as buffers and folded into the exported graphs), projects it for the attention
/// scores and gives the initial LSTM state from its mean.
/// </summary>
internal sealed class AttentionInit : nn.Module
{
    private readonly Linear initHidden;
    private readonly Linear initCell;
    private readonly Linear mapProjection;
    private readonly Dropout featureDropout;
    private readonly Tensor featureMean;
    private readonly Tensor featureScale;

    public AttentionInit(int featureSize, int hiddenSize, int attentionSize, double featureDropoutRate)
        : base(nameof(AttentionInit))
    {
        FeatureSize = featureSize;
        HiddenSize = hiddenSize;
        AttentionSize = attentionSize;
        initHidden = nn.Linear(featureSize, hiddenSize);
        initCell = nn.Linear(featureSize, hiddenSize);
        mapProjection = nn.Linear(featureSize, attentionSize);
        featureDropout = nn.Dropout(featureDropoutRate);
        featureMean = zeros(featureSize);
        featureScale = ones(featureSize);
        register_buffer(nameof(featureMean), featureMean);
        register_buffer(nameof(featureScale), featureScale);
        RegisterComponents();
    }

    public int FeatureSize { get; }

    public int HiddenSize { get; }

    public int AttentionSize { get; }

    /// <summary>Sets the per-channel standardisation from training-set region statistics.</summary>
    public void SetFeatureStatistics(Tensor mean, Tensor standardDeviation)
    {
        using var noGrad = no_grad();
        featureMean.copy_(mean);
        featureScale.copy_(1.0f / standardDeviation.clamp_min(1e-3f));
    }

    /// <summary>The standardised map, its attention projection [B, 49, A] and the initial state (h0, c0), each [B, H].</summary>
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

    /// <summary>Weights for export, row-major with torch's shapes; standardisation separate (the exporters fold it).</summary>
    public AttentionInitWeights ExportWeights()
    {
        using var noGrad = no_grad();
        return new AttentionInitWeights(
            FeatureSize, HiddenSize, AttentionSize, Weights.Of(featureMean), Weights.Of(featureScale),
            Weights.Of(initHidden.weight!), Weights.Of(initHidden.bias!), Weights.Of(initCell.weight!), Weights.Of(initCell.bias!),
            Weights.Of(mapProjection.weight!), Weights.Of(mapProjection.bias!));
    }
}

/// <summary>Per-image tensors of <see cref="AttentionInit.Prepare"/>: the standardised map, its projection and the initial state.</summary>
internal sealed record AttentionContext(Tensor Map, Tensor Projection, Tensor Hidden, Tensor Cell);
