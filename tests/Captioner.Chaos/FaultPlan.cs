using System.Collections.Concurrent;

namespace Captioner.Chaos;

/// <summary>Decides, request by request, whether and how to fail it, and counts what it injected.</summary>
internal sealed class FaultPlan(double rate, int seed, bool spareDequeues)
{
    private static readonly FaultKind[] Kinds = Enum.GetValues<FaultKind>();

    // Faults that never reach storage: a dequeue failed this way hides nothing.
    private static readonly FaultKind[] NotCarriedOut = [FaultKind.ServerBusy, FaultKind.InternalError, FaultKind.ResetBeforeStorage];
    private readonly Random _random = new(seed);
    private readonly ConcurrentDictionary<FaultKind, int> _injected = new();
    private int _requests;

    /// <summary>Off while the run sets itself up and audits (its own requests go straight to Azurite anyway).</summary>
    public bool Enabled { get; set; }

    public int Requests => _requests;

    public int Injected => _injected.Values.Sum();

    public IReadOnlyDictionary<FaultKind, int> InjectedByKind => _injected;

    /// <summary>
    /// The fault for the next request, or null to pass it through untouched. A dequeue (a queue read that hides the
    /// messages it returns for the trigger engine's 10-minute lease) whose answer is lost hides them that long; with
    /// <c>spareDequeues</c> dequeues only get the faults that never reach storage, so a run is not a ten-minute wait.
    /// </summary>
    public FaultKind? Next(bool dequeue)
    {
        Interlocked.Increment(ref _requests);
        if (!Enabled)
        {
            return null;
        }

        FaultKind kind;
        lock (_random)
        {
            if (_random.NextDouble() >= rate)
            {
                return null;
            }

            var kinds = dequeue && spareDequeues ? NotCarriedOut : Kinds;
            kind = kinds[_random.Next(kinds.Length)];
        }

        _injected.AddOrUpdate(kind, 1, (_, count) => count + 1);
        return kind;
    }
}
