namespace Captioner.Training.Orchestration;

/// <summary>A training job failed in <see cref="Phase"/>; the message says why, as the activity reported it.</summary>
public sealed class TrainingFailedException : Exception
{
    public TrainingFailedException(string phase, string reason, Exception? inner = null)
        : base($"{phase}: {reason}", inner)
    {
        Phase = phase;
    }

    public TrainingFailedException()
    {
        Phase = string.Empty;
    }

    public TrainingFailedException(string message)
        : base(message)
    {
        Phase = string.Empty;
    }

    public TrainingFailedException(string message, Exception inner)
        : base(message, inner)
    {
        Phase = string.Empty;
    }

    public string Phase { get; }
}
