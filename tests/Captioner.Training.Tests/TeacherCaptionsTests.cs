using Captioner.Core.Models;
using Captioner.Core.Training;
using Captioner.Evaluation.Data;
using Captioner.Training.Data;

namespace Captioner.Training.Tests;

/// <summary>Sequence-level distillation: a teacher's captions of training images as extra targets, human references kept.</summary>
[Collection(TorchRandomState.Name)]
public sealed class TeacherCaptionsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("captioner-teacher-").FullName;

    [Fact]
    public void Teacher_captions_follow_each_images_own_captions_in_the_training_order()
    {
        IReadOnlyList<CaptionedImage> train = [new("a.jpg", ["a dog runs"]), new("b.jpg", ["a cat sits", "the cat"])];
        var file = Path.Combine(_root, "teacher.tsv");
        File.WriteAllLines(file, ["b.jpg\ta cat is sitting"]);

        var targets = TeacherCaptions.Append(train, TeacherCaptions.Read(file, train));

        Assert.Equal(["a.jpg", "b.jpg"], targets.Select(i => i.ImageFile));
        Assert.Equal(["a dog runs"], targets[0].Captions);
        Assert.Equal(["a cat sits", "the cat", "a cat is sitting"], targets[1].Captions);
    }

    [Fact]
    public void A_teacher_caption_of_an_image_outside_the_training_split_is_refused_with_its_name()
    {
        IReadOnlyList<CaptionedImage> train = [new("a.jpg", ["a dog runs"])];
        var file = Path.Combine(_root, "teacher.tsv");
        File.WriteAllLines(file, ["a.jpg\ta dog", "dev.jpg\ta man"]);

        var error = Assert.Throws<InvalidDataException>(() => TeacherCaptions.Read(file, train));

        Assert.Contains("'dev.jpg' is not a training image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_run_with_teacher_captions_trains_on_them_and_records_them_apart_from_the_human_captions()
    {
        var trainSplit = TestData.SplitSubset(_root, "train", 60);
        var names = File.ReadAllLines(trainSplit);
        var teacher = Path.Combine(_root, "teacher.tsv");
        File.WriteAllLines(teacher, names.Take(40).Select(name => $"{name}\ta dog is running on the grass"));
        var human = CaptionFiles.ReadFile(TestData.Captions).Where(i => names.Contains(i.ImageFile)).Sum(i => i.Captions.Count);
        var request = new TrainingRequest
        {
            ImagesDirectory = TestData.Images,
            CaptionsFile = TestData.Captions,
            TrainSplitFile = trainSplit,
            DevSplitFile = TestData.SplitSubset(_root, "dev", 20),
            TeacherCaptionsFile = teacher,
            OutputDirectory = Path.Combine(_root, "model"),
            WorkDirectory = Path.Combine(_root, "work"),
            DatasetName = "teacher",
            Options = new TrainingOptions
            {
                Decoder = DecoderKinds.AdaptiveAttention, EmbeddingSize = 16, HiddenSize = 32, AttentionSize = 16, BatchSize = 32, MinWordCount = 3,
                MaxEpochs = 1, Patience = 5, SelfCriticalEpochs = 0, Threads = 1,
            },
        };
        var progress = new RecordingProgress();

        var manifest = TrainingRun.Run(request, progress);

        Assert.Equal((human, 40), (manifest.Training!.TrainCaptions, manifest.Training.TeacherCaptions));
        Assert.Contains(progress.Details, detail => detail.StartsWith($"training: {human + 40} captions", StringComparison.Ordinal));
        Assert.Equal(DecoderKinds.AdaptiveAttention, manifest.Decoder.Kind);
        Assert.InRange(manifest.Metrics["parityMaxAbsDiff"], 0, TrainingRun.ParityTolerance);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
