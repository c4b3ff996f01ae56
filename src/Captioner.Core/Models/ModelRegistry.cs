using Captioner.Core.Decoding;
using Captioner.Core.Resilience;
using Microsoft.Extensions.Logging;

namespace Captioner.Core.Models;

/// <summary>
/// Serves the current model and swaps in a new one without a restart: <see cref="RefreshAsync"/>
/// reads <c>current.json</c>, loads and verifies a new version off the request path, and swaps it in
/// atomically. Work already holding the old model finishes with it; the old model is disposed when
/// the last lease ends. A version that fails to load is refused and the previous one keeps serving.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly ModelStore _store;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly TaskCompletionSource _firstLoaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SharedModel? _current;
    private string? _refusedVersion;

    public ModelRegistry(ModelStore store, ILogger<ModelRegistry> logger)
    {
        _store = store;
        _logger = logger;
    }

    /// <summary>The version being served, or null before the first model loads.</summary>
    public string? CurrentVersion => Volatile.Read(ref _current)?.Model.Version;

    /// <summary>
    /// Waits, at most <paramref name="patience"/>, until a model is served. Work that arrives while a host starts
    /// (its queues are read before the model is down from storage) waits here instead of failing a delivery.
    /// </summary>
    public async Task WaitForModelAsync(TimeSpan patience, CancellationToken cancellationToken = default)
    {
        if (CurrentVersion is null)
        {
            try
            {
                await _firstLoaded.Task.WaitAsync(patience, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Acquire says why there is none.
            }
        }
    }

    /// <summary>Leases the current model for one unit of work; dispose the lease when done.</summary>
    /// <exception cref="ModelLoadException">No model has been loaded.</exception>
    public ModelLease Acquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _current) ?? throw new ModelLoadException("No model is loaded yet: publish one and point models/current.json at it.");
            if (current.TryAddReference())
            {
                return new ModelLease(current);
            }
        }
    }

    /// <summary>
    /// Checks that the model served now can decode with <paramref name="options"/> (its words to begin with are words it
    /// knows), so a request is refused before any work; an <see cref="ArgumentException"/> says why. Before a model loads
    /// nothing is checked: each image's result then records the refusal.
    /// </summary>
    public void CheckDecoding(DecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (CurrentVersion is null)
        {
            return;
        }

        using var lease = Acquire();
        options.BeginTokens(lease.Model.Vocabulary);
    }

    /// <summary>Loads the version <c>current.json</c> names if it differs from the one served; returns whether it swapped.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pointer = await _store.GetCurrentAsync(cancellationToken).ConfigureAwait(false);
            if (pointer is null || pointer.Version == CurrentVersion || pointer.Version == _refusedVersion)
            {
                return false;
            }

            CaptioningModel model;
            try
            {
                model = await Task.Run(() => _store.LoadAsync(pointer.Version, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (ModelLoadException ex)
            {
                _refusedVersion = pointer.Version;
                _logger.ModelRefused(ex, pointer.Version, CurrentVersion ?? "none");
                return false;
            }

            var previous = Interlocked.Exchange(ref _current, new SharedModel(model));
            previous?.Release();
            _firstLoaded.TrySetResult();
            _logger.ModelReplaced(previous?.Model.Version ?? "none", model.Version);
            return true;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>Refreshes every <paramref name="interval"/> until cancelled; any failure is logged and retried next round.</summary>
    public Task RunAsync(TimeSpan interval, CancellationToken cancellationToken) =>
        PeriodicWork.RunAsync(interval, RefreshAsync, _logger.ModelRefreshFailed, cancellationToken);

    public void Dispose()
    {
        Interlocked.Exchange(ref _current, null)?.Release();
        _refreshing.Dispose();
    }

    /// <summary>A model with a reference count: the registry holds one reference, each lease another.</summary>
    internal sealed class SharedModel
    {
        private int _references = 1;

        public SharedModel(CaptioningModel model)
        {
            Model = model;
        }

        public CaptioningModel Model { get; }

        public bool TryAddReference()
        {
            var seen = Volatile.Read(ref _references);
            while (seen > 0)
            {
                var previous = Interlocked.CompareExchange(ref _references, seen + 1, seen);
                if (previous == seen)
                {
                    return true;
                }

                seen = previous;
            }

            return false;
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _references) == 0)
            {
                Model.Dispose();
            }
        }
    }
}

/// <summary>A model held for one unit of work.</summary>
public sealed class ModelLease : IDisposable
{
    private ModelRegistry.SharedModel? _shared;

    internal ModelLease(ModelRegistry.SharedModel shared)
    {
        _shared = shared;
    }

    public CaptioningModel Model => (_shared ?? throw new ObjectDisposedException(nameof(ModelLease))).Model;

    public void Dispose() => Interlocked.Exchange(ref _shared, null)?.Release();
}
