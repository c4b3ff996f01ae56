using Captioner.Training.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace Captioner.Training.Model;

/// <summary>An attention decoder for training, of any <see cref="IAttentionNetwork"/> kind: region maps [N, 49, 512] in.</summary>
internal sealed class AttentionDecoder(IAttentionNetwork network) : TrainableDecoder
{
    public IAttentionNetwork Network { get; } = network;

    public override nn.Module Module => Network.Module;

    public override string Kind => Network.Kind;

    public override bool UsesMap => true;

    public override int VocabularySize => Network.VocabularySize;

    public override void SetFeatureStatistics(Tensor images)
    {
        using var scope = NewDisposeScope();
        var regions = images.reshape(-1, Network.FeatureSize);
        Network.SetFeatureStatistics(regions.mean([0]), regions.std([0]));
    }

    public override StepState Start(Tensor images)
    {
        var context = Network.Prepare(images);
        return new StepState(context.Hidden, context.Cell, context.Map, context.Projection);
    }

    public override (Tensor Logits, StepState Next) Step(Tensor tokens, StepState state)
    {
        var (logits, hidden, cell, _) = Network.Step(tokens, state.Hidden, state.Cell, state.Map!, state.Projection!);
        return (logits, state.With(hidden, cell));
    }

    public override void Export(string directory) => Network.Export(directory);

    public override double ParityDifference(string directory, float[] inputs, int images) => AttentionParityCheck.MaxDifference(Network, directory, inputs, images);
}
