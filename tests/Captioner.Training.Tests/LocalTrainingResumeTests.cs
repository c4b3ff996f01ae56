using Captioner.Core.Models;
using Captioner.Training.Orchestration;
using Captioner.Core.Training;

namespace Captioner.Training.Tests;

/// <summary>
/// Local training runs the same chunked loop as the training job, with checkpoints in the work folder:
/// a run stopped after an epoch and started again goes on from there, through the self-critical phase,
/// to a verified soft-attention model folder (real Flickr8k features, real TorchSharp, real export).
/// </summary>
[Collection(TorchRandomState.Name)]
public sealed class LocalTrainingResumeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("captioner-local-resume-").FullName;

    [Fact]
    public void A_stopped_local_run_resumes_after_its_last_epoch_and_finishes_with_the_self_critical_phase()
    {
        var request = new TrainingRequest
        {
            ImagesDirectory = TestData.Images,
            CaptionsFile = TestData.Captions,
            TrainSplitFile = TestData.SplitSubset(_root, "train", 120),
            DevSplitFile = TestData.SplitSubset(_root, "dev", 30),
            OutputDirectory = Path.Combine(_root, "model"),
            WorkDirectory = Path.Combine(_root, "work"),
            DatasetName = "resume",
            Options = new TrainingOptions
            {
                Decoder = DecoderKinds.SoftAttention, EmbeddingSize = 32, HiddenSize = 64, AttentionSize = 32, BatchSize = 32, MinWordCount = 3,
                MaxEpochs = 2, Patience = 5, SelfCriticalEpochs = 1, SelfCriticalImagesPerBatch = 30, Threads = 1,
            },
        };
        using var stop = new CancellationTokenSource();
        var first = new RecordingProgress(onEpoch: _ => stop.Cancel());

        Assert.ThrowsAny<OperationCanceledException>(() => TrainingRun.Run(request, first, stop.Token));
        Assert.Equal([1], first.Epochs.Select(e => e.Epoch));
        Assert.False(Directory.Exists(request.OutputDirectory) && File.Exists(Path.Combine(request.OutputDirectory, ModelFiles.Manifest)));

        var second = new RecordingProgress();
        var manifest = TrainingRun.Run(request, second);

        Assert.Contains(second.Details, detail => detail.Contains("resuming after epoch 1", StringComparison.Ordinal));
        Assert.Equal([1, 2, 3], second.Epochs.Select(e => e.Epoch));
        Assert.Equal(first.Epochs[0], second.Epochs[0] with { Improved = first.Epochs[0].Improved });
        Assert.Equal([EpochPhase.CrossEntropy, EpochPhase.CrossEntropy, EpochPhase.SelfCritical], second.Epochs.Select(e => e.Phase));
        Assert.NotNull(second.Epochs[^1].Reward);
        Assert.Equal(DecoderKinds.SoftAttention, manifest.Decoder.Kind);
        Assert.Equal(3, manifest.Training!.Epochs);
        Assert.InRange(manifest.Metrics["parityMaxAbsDiff"], 0, TrainingRun.ParityTolerance);
        using var model = CaptioningModel.LoadFolder(request.OutputDirectory);
        Assert.True(model.Decoder.UsesMap);
        Assert.Empty(Directory.GetDirectories(Path.Combine(request.WorkDirectory, "runs")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
