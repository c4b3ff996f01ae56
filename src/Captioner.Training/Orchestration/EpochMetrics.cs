namespace Captioner.Training.Orchestration;

/// <summary>One trained epoch as a training activity reports it.</summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double DevLoss, double? DevCider, double LearningRate, double Seconds);
