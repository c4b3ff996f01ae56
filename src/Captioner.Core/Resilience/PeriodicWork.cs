namespace Captioner.Core.Resilience;

/// <summary>
/// The one loop of the background services (model refresh, reconcile sweep, the local event stand-in): work now
/// and then every interval until the host stops. Whatever one round throws (storage down, a timeout surfacing as a
/// cancellation, a bug) is reported and the next round runs: a background loop never ends the host.
/// </summary>
public static class PeriodicWork
{
    public static async Task RunAsync(TimeSpan interval, Func<CancellationToken, Task> work, Action<Exception> failed, CancellationToken stoppingToken, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(failed);
        using var timer = new PeriodicTimer(interval, time ?? TimeProvider.System);
        try
        {
            do
            {
                try
                {
                    await work(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    failed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    /// <summary>
    /// The same loop at a pace the work sets: each round returns how long to wait before the next (a failed round
    /// waits <paramref name="afterFailure"/>), and <paramref name="wait"/> may end a wait early (a signal).
    /// </summary>
    public static async Task RunAsync(Func<CancellationToken, Task<TimeSpan>> work, Func<TimeSpan, CancellationToken, Task> wait, TimeSpan afterFailure, Action<Exception> failed, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(wait);
        ArgumentNullException.ThrowIfNull(failed);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan next;
                try
                {
                    next = await work(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    failed(ex);
                    next = afterFailure;
                }

                await wait(next, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }
}
