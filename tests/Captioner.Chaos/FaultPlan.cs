using System.Collections.Concurrent;

namespace Captioner.Chaos;

/// <summary>Decides, request by request, whether and how to fail it, and counts what it injected.</summary>
internal sealed class FaultPlan(double rate, int seed)
{
    private static readonly FaultKind[] Kinds = Enum.GetValues<FaultKind>();
    private readonly Random _random = new(seed);
    private readonly ConcurrentDictionary<FaultKind, int> _injected = new();
    private int _requests;

    /// <summary>Off while the run sets itself up and audits (its own requests go straight to Azurite anyway).</summary>
    public bool Enabled { get; set; }

    public int Requests => _requests;

    public int Injected => _injected.Values.Sum();

    public IReadOnlyDictionary<FaultKind, int> InjectedByKind => _injected;

    /// <summary>The fault for the next request, or null to pass it through untouched.</summary>
    public FaultKind? Next()
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

            kind = Kinds[_random.Next(Kinds.Length)];
        }

        _injected.AddOrUpdate(kind, 1, (_, count) => count + 1);
        return kind;
    }
}
