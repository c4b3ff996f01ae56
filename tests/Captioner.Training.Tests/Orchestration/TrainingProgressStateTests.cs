using Captioner.Training.Orchestration;

namespace Captioner.Training.Tests.Orchestration;

public class TrainingProgressStateTests
{
    private static EpochMetrics Epoch(int epoch, double devLoss, double? cider = null) => new(epoch, 3.0, devLoss, cider, 1e-3, 10);

    [Fact]
    public void The_best_epoch_is_the_lowest_dev_loss_and_training_stops_after_patience_epochs_without_one()
    {
        var options = new TrainingOptions { MaxEpochs = 20, Patience = 3 };
        var state = new TrainingProgressState().Apply([Epoch(1, 3.0), Epoch(2, 2.8), Epoch(3, 2.9), Epoch(4, 2.85)], options);

        Assert.Equal(2, state.BestEpoch);
        Assert.False(state.IsFinished(options));
        state = state.Apply([Epoch(5, 2.81)], options);
        Assert.True(state.IsFinished(options));
    }

    [Fact]
    public void Training_stops_at_the_epoch_limit()
    {
        var options = new TrainingOptions { MaxEpochs = 2, Patience = 5 };
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
        var options = new TrainingOptions { MaxEpochs = 10, Patience = 3 };
        var state = new TrainingProgressState().Apply([Epoch(1, 3.0), Epoch(2, 2.9)], options);

        Assert.Equal(80, state.MaxSecondsLeft(options));
    }
}
