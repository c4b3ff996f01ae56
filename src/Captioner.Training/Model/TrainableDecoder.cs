using Captioner.Core.Vocabulary;
using TorchSharp;
using static TorchSharp.torch;

namespace Captioner.Training.Model;

/// <summary>
/// What training needs of a decoder, whatever its kind: the initial state of a batch of images, one step,
/// the teacher-forced loss, greedy decoding, sampling for self-critical training, and export. The
/// generic parts (greedy, sampling, the step-by-step loss) are written once here on top of
/// <see cref="Start"/> and <see cref="Step"/>.
/// </summary>
internal abstract class TrainableDecoder : IDisposable
{
    /// <summary>The torch module (parameters, save and load, train/eval mode).</summary>
    public abstract nn.Module Module { get; }

    /// <summary>The kind recorded in manifests (<see cref="Core.Models.DecoderKinds"/>).</summary>
    public abstract string Kind { get; }

    /// <summary>True when the decoder reads region maps [N, 49, 512] rather than pooled features [N, 512].</summary>
    public abstract bool UsesMap { get; }

    public abstract int VocabularySize { get; }

    /// <summary>Sets the input standardisation from all training images' inputs.</summary>
    public abstract void SetFeatureStatistics(Tensor images);

    /// <summary>The state of each image (one row per image).</summary>
    public abstract StepState Start(Tensor images);

    /// <summary>One step: logits [R, V] and the next state.</summary>
    public abstract (Tensor Logits, StepState Next) Step(Tensor tokens, StepState state);

    /// <summary>Writes the two ONNX graphs into <paramref name="directory"/>.</summary>
    public abstract void Export(string directory);

    /// <summary>Largest difference between this module and the graphs in <paramref name="directory"/> on the first <paramref name="images"/> inputs.</summary>
    public abstract double ParityDifference(string directory, float[] inputs, int images);

    /// <summary>
    /// Summed teacher-forced cross-entropy of caption rows whose images' inputs are <paramref name="rowImages"/>
    /// (one per row). Rows are sorted longest first so each step only runs the rows still inside their caption.
    /// </summary>
    public virtual (Tensor Loss, long Tokens) TeacherForcedLoss(Tensor rowImages, int[][] sequences, double labelSmoothing)
    {
        var order = Enumerable.Range(0, sequences.Length).OrderByDescending(i => sequences[i].Length).ToArray();
        var state = Start(rowImages.index_select(0, tensor(order.Select(i => (long)i).ToArray())));
        var steps = sequences[order[0]].Length - 1;
        var logits = new List<Tensor>(steps);
        var targets = new List<long>();
        for (var t = 0; t < steps; t++)
        {
            var rows = order.TakeWhile(i => sequences[i].Length - 1 > t).Count();
            var tokens = new long[rows];
            for (var r = 0; r < rows; r++)
            {
                tokens[r] = sequences[order[r]][t];
                targets.Add(sequences[order[r]][t + 1]);
            }

            var (stepLogits, next) = Step(tensor(tokens), state.First(rows));
            logits.Add(stepLogits);
            state = next;
        }

        var loss = nn.functional.cross_entropy(cat(logits, 0), tensor(targets.ToArray()), reduction: nn.Reduction.Sum, label_smoothing: labelSmoothing);
        return (loss, targets.Count);
    }

    /// <summary>Greedy captions (eval mode, no gradients) as token ids without the end token; never emits padding, start or unknown.</summary>
    public int[][] GreedyTokens(Tensor images, int maxWords)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var rows = (int)images.shape[0];
        var state = Start(images);
        var tokens = full(rows, (long)SpecialTokens.StartId, dtype: ScalarType.Int64);
        var banned = BannedTokens();
        var words = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        var finished = new bool[rows];
        for (var step = 0; step < maxWords && finished.Any(f => !f); step++)
        {
            var (logits, next) = Step(tokens, state);
            tokens = (logits + banned).argmax(1);
            state = next;
            var chosen = tokens.data<long>().ToArray();
            for (var i = 0; i < rows; i++)
            {
                if (finished[i])
                {
                    continue;
                }

                if (chosen[i] == SpecialTokens.EndId)
                {
                    finished[i] = true;
                }
                else
                {
                    words[i].Add((int)chosen[i]);
                }
            }
        }

        return [.. words.Select(w => w.ToArray())];
    }

    /// <summary>
    /// Draws <paramref name="samples"/> captions per image from the model's distribution (with gradients,
    /// in whatever mode the caller set): the token ids of each row (image-major, without the end token) and each row's
    /// summed log-probability of what it drew, with the number of drawn tokens.
    /// </summary>
    public (int[][] Tokens, Tensor LogProbability, Tensor TokenCounts) Sample(Tensor images, int samples, int maxWords)
    {
        var imageCount = (int)images.shape[0];
        var rows = imageCount * samples;
        var state = Start(images).Rows(arange(imageCount, dtype: ScalarType.Int64).repeat_interleave(samples));
        var tokens = full(rows, (long)SpecialTokens.StartId, dtype: ScalarType.Int64);
        var banned = BannedTokens();
        var alive = ones(rows, dtype: ScalarType.Bool);
        var logProbability = zeros(rows);
        var counts = zeros(rows);
        var words = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();

        // Up to maxWords words and an end token; a row still open after that is cut there, and the end it was
        // never given is not trained on (forcing it would teach the model about an end it did not choose).
        for (var step = 0; step <= maxWords; step++)
        {
            var (logits, next) = Step(tokens, state);
            var logp = nn.functional.log_softmax(logits + banned, 1);
            using (no_grad())
            {
                tokens = logp.exp().multinomial(1).squeeze(1);
            }

            if (step == maxWords)
            {
                // Only rows that chose to end here learn from this step.
                alive = alive.logical_and(tokens.eq(SpecialTokens.EndId));
            }

            var mask = alive.to_type(ScalarType.Float32);
            logProbability = logProbability + (logp.gather(1, tokens.unsqueeze(1)).squeeze(1) * mask);
            counts = counts + mask;
            var chosen = tokens.data<long>().ToArray();
            var open = alive.data<bool>().ToArray();
            for (var i = 0; i < rows; i++)
            {
                if (open[i] && chosen[i] != SpecialTokens.EndId)
                {
                    words[i].Add((int)chosen[i]);
                }
            }

            alive = alive.logical_and(tokens.ne(SpecialTokens.EndId));
            state = next;
            if (!alive.any().item<bool>())
            {
                break;
            }
        }

        return ([.. words.Select(w => w.ToArray())], logProbability, counts);
    }

    public void Dispose() => Module.Dispose();

    /// <summary>Adds minus infinity to padding, start and unknown so they are never chosen.</summary>
    private Tensor BannedTokens()
    {
        var banned = zeros(VocabularySize);
        banned[SpecialTokens.PadId] = float.NegativeInfinity;
        banned[SpecialTokens.UnknownId] = float.NegativeInfinity;
        banned[SpecialTokens.StartId] = float.NegativeInfinity;
        return banned;
    }
}
