using Captioner.Training.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace Captioner.Training.Model;

/// <summary>
/// A decoder network that attends over the 49 regions of the map at every step. Every kind shares the
/// exported interface (init map -> h, c, map_projected; step token, h, c, map, map_projected -> logprobs,
/// h', c', attention), so the runtime, the parity check and ensembles treat them alike.
/// </summary>
internal interface IAttentionNetwork
{
    /// <summary>The torch module (parameters, save and load, train/eval mode).</summary>
    nn.Module Module { get; }

    /// <summary>The kind recorded in manifests (<see cref="Core.Models.DecoderKinds"/>).</summary>
    string Kind { get; }

    int FeatureSize { get; }

    int VocabularySize { get; }

    int HiddenSize { get; }

    int AttentionSize { get; }

    /// <summary>Sets the per-channel standardisation from training-set region statistics.</summary>
    void SetFeatureStatistics(Tensor mean, Tensor standardDeviation);

    /// <summary>The standardised map, its attention projection and the initial state of a batch of raw maps [B, 49, F].</summary>
    AttentionContext Prepare(Tensor maps);

    /// <summary>One step: logits [R, V], the next state and the region weights [R, 49] the step used.</summary>
    (Tensor Logits, Tensor Hidden, Tensor Cell, Tensor Attention) Step(Tensor tokens, Tensor hidden, Tensor cellState, Tensor map, Tensor projection);

    /// <summary>Writes the two ONNX graphs into <paramref name="directory"/>.</summary>
    void Export(string directory);
}
