using Captioner.Training.Orchestration;
using Captioner.Core.Training;

namespace Captioner.Training.Tests.Orchestration;

public class TrainingProgressStateTests
{
    private static EpochMetrics Epoch(int epoch, double devLoss, double? cider = null) => new(epoch, 3.0, devLoss, cider, 1e-3, 10);

    [Fact]
    public void The_best_epoch_is_the_lowest_dev_loss_and_training_stops_after_patience_epochs_without_one()
    {
        var options = new TrainingOptions { MaxEpochs = 20, Patience = 3, SelectBy = "loss", SelfCriticalEpochs = 0 };
        var state = new TrainingProgressState().Apply([Epoch(1, 3.0), Epoch(2, 2.8), Epoch(3, 2.9), Epoch(4, 2.85)], options);

        Assert.Equal(2, state.BestEpoch);
        Assert.False(state.IsFinished(options));
        state = state.Apply([Epoch(5, 2.81)], options);
        Assert.True(state.IsFinished(options));
    }

    [Fact]
    public void Training_stops_at_the_epoch_limit()
    {
        var options = new TrainingOptions { MaxEpochs = 2, Patience = 5, SelfCriticalEpochs = 0 };
        var state = new TrainingProgressState().Apply([Epoch(1, 3.0), Epoch(2, 2.0)], options);

        Assert.True(state.IsFinished(options));
        Assert.False(new TrainingProgressState().IsFinished(options));
    }

    [Fact]
    public void Selecting_by_cider_keeps_the_epoch_with_the_highest_dev_cider()
    {
        var options = new TrainingOptions { SelectBy = "cider" };
        var state = new TrainingProgressState().Apply([Epoch(1, 3.0, 0.30), Epoch(2, 2.9, 0.35), Epoch(3, 2.8, 0.33)], options);

        Assert.Equal(2, state.BestEpoch);
        Assert.Equal(0.35, state.Best!.DevCider);
    }

    [Fact]
    public void An_epoch_out_of_order_is_refused()
    {
        var state = new TrainingProgressState().Apply([Epoch(1, 3.0)], new TrainingOptions());
        Assert.Throws<InvalidOperationException>(() => state.Apply([Epoch(3, 2.0)], new TrainingOptions()));
    }

    [Fact]
    public void Time_left_is_at_most_the_epochs_up_to_the_limit_at_the_mean_epoch_time()
    {
        var options = new TrainingOptions { MaxEpochs = 10, Patience = 3, SelectBy = "loss", SelfCriticalEpochs = 0 };
        var state = new TrainingProgressState().Apply([Epoch(1, 3.0), Epoch(2, 2.9)], options);

        Assert.Equal(80, state.MaxSecondsLeft(options));
    }

    [Fact]
    public void Plans_run_cross_entropy_then_self_critical_from_the_best_epoch_with_a_fresh_optimizer_then_resume_it()
    {
        var options = new TrainingOptions { MaxEpochs = 3, Patience = 5, SelectBy = "loss", SelfCriticalEpochs = 2 };
        var state = new TrainingProgressState();

        Assert.Equal(new TrainingChunkPlan(EpochPhase.CrossEntropy, 0, false, 1, 2, 0), state.NextChunk(options, epochsPerChunk: 2));
        state = state.Apply([Epoch(1, 3.0, 0.30), Epoch(2, 2.8, 0.35)], options);
        Assert.Equal(new TrainingChunkPlan(EpochPhase.CrossEntropy, 2, false, 3, 1, 2), state.NextChunk(options, epochsPerChunk: 2));
        state = state.Apply([Epoch(3, 2.9, 0.36)], options);
        Assert.Equal(EpochPhase.SelfCritical, state.Phase(options));
        Assert.Equal(new TrainingChunkPlan(EpochPhase.SelfCritical, 2, true, 4, 1, 2), state.NextChunk(options, epochsPerChunk: 1));
        state = state.Apply([SelfCritical(4, 0.40)], options);
        Assert.Equal(new TrainingChunkPlan(EpochPhase.SelfCritical, 4, false, 5, 1, 4), state.NextChunk(options, epochsPerChunk: 1));
        state = state.Apply([SelfCritical(5, 0.39)], options);
        Assert.True(state.IsFinished(options));
        Assert.Null(state.NextChunk(options, epochsPerChunk: 1));
        Assert.Equal(4, state.BestEpoch);
    }

    [Fact]
    public void A_self_critical_epoch_must_beat_the_best_cross_entropy_epochs_dev_cider_to_be_kept()
    {
        var options = new TrainingOptions { MaxEpochs = 2, Patience = 5, SelfCriticalEpochs = 2 };

        var state = new TrainingProgressState().Apply([Epoch(1, 3.0, 0.30), Epoch(2, 2.8, 0.35), SelfCritical(3, 0.34), SelfCritical(4, 0.33)], options);

        Assert.Equal(2, state.BestEpoch);
        Assert.True(state.IsFinished(options));
    }

    [Fact]
    public void Self_critical_patience_counts_from_the_start_of_its_phase_not_from_the_best_cross_entropy_epoch()
    {
        var options = new TrainingOptions { MaxEpochs = 10, Patience = 3, SelectBy = "cider", SelfCriticalEpochs = 10 };

        // Cross-entropy peaks at epoch 2 and stops after epoch 5; the first self-critical epoch does not beat it.
        var state = new TrainingProgressState().Apply([Epoch(1, 3.0, 0.30), Epoch(2, 2.8, 0.40), Epoch(3, 2.7, 0.39), Epoch(4, 2.7, 0.38), Epoch(5, 2.7, 0.39), SelfCritical(6, 0.395)], options);

        Assert.False(state.IsFinished(options));
        state = state.Apply([SelfCritical(7, 0.39), SelfCritical(8, 0.39)], options);
        Assert.True(state.IsFinished(options));
        Assert.Equal(2, state.BestEpoch);
    }

    [Fact]
    public void Without_self_critical_epochs_training_ends_with_cross_entropy()
    {
        var options = new TrainingOptions { MaxEpochs = 2, Patience = 5, SelfCriticalEpochs = 0 };

        var state = new TrainingProgressState().Apply([Epoch(1, 3.0, 0.30), Epoch(2, 2.8, 0.35)], options);

        Assert.True(state.IsFinished(options));
        Assert.Equal(EpochPhase.CrossEntropy, state.Phase(options));
    }

    private static EpochMetrics SelfCritical(int epoch, double cider) => Epoch(epoch, 2.9, cider) with { Phase = EpochPhase.SelfCritical, Reward = cider * 1.5 };
}
