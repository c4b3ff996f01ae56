namespace Captioner.Hosting;

/// <summary>
/// Raised when an image is uploaded through the API, so a host's own event source can look at once rather than at
/// its idle pace (the local host's stand-in for Event Grid; in Azure nothing waits on it: Event Grid pushes).
/// </summary>
public sealed class UploadSignal
{
    private TaskCompletionSource _raised = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Raise() => Interlocked.Exchange(ref _raised, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits until the signal is raised or <paramref name="timeout"/> has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _raised).Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Time for the next look anyway.
        }
    }
}
