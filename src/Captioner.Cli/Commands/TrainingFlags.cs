using System.CommandLine;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using Captioner.Core.Models;
using Captioner.Core.Training;

namespace Captioner.Cli.Commands;

/// <summary>
/// The <c>train</c> flags that set <see cref="TrainingOptions"/>. Each names its property once, which gives the flag's
/// default, where its value goes and the JSON name the options' own check uses, so a new option is one line here.
/// </summary>
internal sealed class TrainingFlags
{
    private static readonly TrainingOptions Defaults = new();
    private readonly List<Flag> _flags = [];

    public TrainingFlags()
    {
        Add(o => o.Decoder, "--decoder", "Decoder kind: adaptive-attention (the 49 image regions and a visual sentinel), soft-attention (the regions only) or show-and-tell (pooled features).")
            .AcceptOnlyFromAmong([.. DecoderKinds.All]);
        Add(o => o.AttentionSize, "--attention-size", "Attention projection size (attention decoders).");
        Add(o => o.SelfCriticalEpochs, "--self-critical-epochs", "Self-critical (CIDEr-D reward) epochs after cross-entropy; 0: none.");
        Add(o => o.SelfCriticalLearningRate, "--self-critical-lr", "Adam learning rate of the self-critical phase.");
        Add(o => o.SelfCriticalBaseline, "--self-critical-baseline", "Self-critical baseline: greedy (the greedy caption's reward) or samples (the mean of the other samples' rewards).")
            .AcceptOnlyFromAmong(SelfCriticalBaselines.Greedy, SelfCriticalBaselines.Samples);
        Add(o => o.SelfCriticalImagesPerBatch, "--self-critical-batch", "Images per step of the self-critical phase.");
        Add(o => o.EmbeddingSize, "--embedding", "Word embedding size.");
        Add(o => o.HiddenSize, "--hidden", "LSTM size.");
        Add(o => o.Dropout, "--dropout", "Dropout rate.");
        Add(o => o.FeatureDropout, "--feature-dropout", "Dropout on image features.");
        Add(o => o.LabelSmoothing, "--label-smoothing", "Label smoothing of the training loss.");
        Add(o => o.FlipImages, "--flip-images", "Also train on the photos flipped left to right (\"left\" and \"right\" swapped in their captions), each epoch one side at random.");
        Add(o => o.MinWordCount, "--min-count", "Minimum word count for the vocabulary.");
        Add(o => o.NewWordMinCount, "--new-word-min-count", "With --from: times a word the base model does not know must appear in the new captions to join the vocabulary.");
        Add(o => o.PullToBase, "--pull-to-base", "With --from: how strongly each step pulls the weights back toward the base model's (0: not at all).");
        Add(o => o.LearningRate, "--lr", "Adam learning rate.");
        Add(o => o.LearningRateDecay, "--lr-decay", "Learning rate factor per epoch.");
        Add(o => o.DecayFromEpoch, "--decay-from", "First epoch with a decayed learning rate.");
        Add(o => o.BatchSize, "--batch", "Captions per step.");
        Add(o => o.MaxEpochs, "--epochs", "Most epochs.");
        Add(o => o.Patience, "--patience", "Epochs without a better dev score before stopping.");
        Add(o => o.SelectBy, "--select-by", "Dev score that picks the checkpoint and stops early: loss or cider.");
        Add(o => o.Seed, "--seed", "Random seed.");
        Add(o => o.Threads, "--threads", "CPU threads (0: all).");
    }

    public IEnumerable<Option> Options => _flags.Select(flag => flag.Option);

    /// <summary>The options as given on the command line, each flag not given at its value in <paramref name="defaults"/> (the training defaults when null).</summary>
    public TrainingOptions Read(ParseResult result, TrainingOptions? defaults = null)
    {
        var options = defaults ?? new TrainingOptions();
        foreach (var flag in _flags.Where(flag => defaults is null || result.GetResult(flag.Option) is { Implicit: false }))
        {
            flag.Apply(options, result);
        }

        return options;
    }

    /// <summary>A reason from <see cref="TrainingOptions.Validate"/> with the JSON names it quotes replaced by the flags the user typed.</summary>
    public string InFlags(string problem) =>
        _flags.Aggregate(problem, (text, flag) => text.Replace($"'{flag.JsonName}'", flag.Option.Name, StringComparison.Ordinal));

    private Option<T> Add<T>(Expression<Func<TrainingOptions, T>> property, string name, string description)
    {
        var member = (PropertyInfo)((MemberExpression)property.Body).Member;
        var option = new Option<T>(name) { Description = description };
        if (typeof(T) != typeof(bool))
        {
            option.DefaultValueFactory = _ => (T)member.GetValue(Defaults)!;
        }

        _flags.Add(new Flag(option, JsonNamingPolicy.CamelCase.ConvertName(member.Name), (options, result) => member.SetValue(options, result.GetValue(option))));
        return option;
    }

    private sealed record Flag(Option Option, string JsonName, Action<TrainingOptions, ParseResult> Apply);
}
