using Captioner.Core.Models;
using Captioner.Training.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace Captioner.Training.Model;

/// <summary>The show-and-tell decoder for training: pooled features in; its teacher-forced loss runs the fused LSTM over whole captions.</summary>
internal sealed class ShowAndTellDecoder(ShowAndTellModule module) : TrainableDecoder
{
    public ShowAndTellModule Network { get; } = module;

    public override nn.Module Module => Network;

    public override string Kind => DecoderKinds.ShowAndTell;

    public override bool UsesMap => false;

    public override int VocabularySize => Network.VocabularySize;

    public override void SetFeatureStatistics(Tensor images) => Network.SetFeatureStatistics(images.mean([0]), images.std([0]));

    public override StepState Start(Tensor images)
    {
        var (hidden, cell) = Network.InitialState(images);
        return new StepState(hidden, cell);
    }

    public override (Tensor Logits, StepState Next) Step(Tensor tokens, StepState state)
    {
        var (logProbabilities, hidden, cell) = Network.Step(tokens, state.Hidden, state.Cell);
        return (logProbabilities, state.With(hidden, cell));
    }

    public override (Tensor Loss, long Tokens) TeacherForcedLoss(Tensor rowImages, int[][] sequences, double labelSmoothing)
    {
        var length = sequences.Max(s => s.Length) - 1;
        var inputs = new long[sequences.Length * length];
        var targets = new long[sequences.Length * length];
        for (var row = 0; row < sequences.Length; row++)
        {
            for (var t = 0; t < sequences[row].Length - 1; t++)
            {
                inputs[(row * length) + t] = sequences[row][t];
                targets[(row * length) + t] = sequences[row][t + 1];
            }
        }

        var logits = Network.forward(rowImages, tensor(inputs, [sequences.Length, length]));
        var loss = nn.functional.cross_entropy(logits.reshape(-1, VocabularySize), tensor(targets), ignore_index: Core.Vocabulary.SpecialTokens.PadId, reduction: nn.Reduction.Sum, label_smoothing: labelSmoothing);
        return (loss, targets.LongCount(t => t != Core.Vocabulary.SpecialTokens.PadId));
    }

    public override void Export(string directory) => DecoderOnnxExporter.Export(Network.ExportWeights(), directory);

    public override double ParityDifference(string directory, float[] inputs, int images) => ExportParityCheck.MaxDifference(Network, directory, inputs, images);
}
