using Captioner.Core.Training;

namespace Captioner.Core.Tests.Training;

public class TrainingOptionsValidationTests
{
    public static TheoryData<Func<TrainingOptions, TrainingOptions>, string> OutOfRange => new()
    {
        { o => { o.LearningRate = -1; return o; }, "'learningRate' must be a number in (0, 1] (got -1)." },
        { o => { o.LearningRate = double.NaN; return o; }, "'learningRate' must be a number in (0, 1] (got NaN)." },
        { o => { o.LearningRate = double.PositiveInfinity; return o; }, "'learningRate'" },
        { o => { o.LearningRate = 0; return o; }, "'learningRate'" },
        { o => { o.Dropout = 1.5; return o; }, "'dropout' must be in [0, 1) (got 1.5)." },
        { o => { o.Dropout = 1; return o; }, "'dropout'" },
        { o => { o.FeatureDropout = -0.1; return o; }, "'featureDropout'" },
        { o => { o.LabelSmoothing = 2; return o; }, "'labelSmoothing' must be in [0, 1) (got 2)." },
        { o => { o.LearningRateDecay = -3; return o; }, "'learningRateDecay' must be in (0, 1] (got -3)." },
        { o => { o.LearningRateDecay = 1.5; return o; }, "'learningRateDecay'" },
        { o => { o.BatchSize = 0; return o; }, "'batchSize' must be 1 to 4096 (got 0)." },
        { o => { o.BatchSize = 2_000_000_000; return o; }, "'batchSize' must be 1 to 4096" },
        { o => { o.HiddenSize = 2_000_000_000; return o; }, "'hiddenSize' must be 1 to 4096" },
        { o => { o.EmbeddingSize = 0; return o; }, "'embeddingSize'" },
        { o => { o.AttentionSize = 5000; return o; }, "'attentionSize'" },
        { o => { o.Threads = 100_000; return o; }, "'threads' must be 0 to 256 (got 100000)." },
        { o => { o.Threads = -1; return o; }, "'threads'" },
        { o => { o.MinWordCount = -1; return o; }, "'minWordCount' must be 1 to 1000 (got -1)." },
        { o => { o.MaxWords = 0; return o; }, "'maxWords'" },
        { o => { o.MaxEpochs = 0; return o; }, "'maxEpochs'" },
        { o => { o.Patience = 0; return o; }, "'patience'" },
        { o => { o.DecayFromEpoch = 0; return o; }, "'decayFromEpoch'" },
        { o => { o.SelectBy = "bleu"; return o; }, "'selectBy' must be 'loss' or 'cider' (got 'bleu')." },
        { o => { o.Decoder = "transformer"; return o; }, "'decoder' must be one of" },
        { o => { o.SelfCriticalEpochs = -1; return o; }, "'selfCriticalEpochs'" },
        { o => { o.SelfCriticalLearningRate = -5e-5; return o; }, "'selfCriticalLearningRate'" },
        { o => { o.SelfCriticalBaseline = "mean"; return o; }, "'selfCriticalBaseline'" },
        { o => { o.SelfCriticalSamples = 1; return o; }, "'selfCriticalSamples' must be 2 to 32 (got 1)." },
        { o => { o.SelfCriticalMaxWords = 101; return o; }, "'selfCriticalMaxWords'" },
        { o => { o.SelfCriticalImagesPerBatch = 0; return o; }, "'selfCriticalImagesPerBatch'" },
        { o => { o.GradientClip = 0; return o; }, "'gradientClip'" },
    };

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Null(new TrainingOptions().Validate());
    }

    [Fact]
    public void The_edges_of_each_range_are_valid()
    {
        Assert.Null(new TrainingOptions
        {
            LearningRate = 1, Dropout = 0, FeatureDropout = 0.99, LabelSmoothing = 0, LearningRateDecay = 1, BatchSize = 1, HiddenSize = 4096,
            Threads = 0, MinWordCount = 1, SelfCriticalEpochs = 0, SelfCriticalSamples = 2, Decoder = Core.Models.DecoderKinds.ShowAndTell,
        }.Validate());
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void An_option_out_of_its_range_is_refused_with_its_name_and_the_value(Func<TrainingOptions, TrainingOptions> change, string reason)
    {
        Assert.Contains(reason, change(new TrainingOptions()).Validate(), StringComparison.Ordinal);
    }
}
