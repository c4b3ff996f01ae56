using Captioner.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Captioner.Hosting;

/// <summary>
/// Every setting checked before anything else starts: the options (their validators), the storage connection can
/// be understood, and a seed model folder (<c>Captioner:SeedModel</c>) holds a model that verifies. A host may call
/// <see cref="CheckSettings"/> itself before starting (the local host does, then probes storage); as a hosted
/// service it runs first among the app's own. Either way the checks run once (the seed model is loaded to verify it).
/// </summary>
public sealed class StartupChecks(IServiceProvider services) : IHostedService
{
    private int _checked;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        CheckSettings();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Throws <see cref="OptionsValidationException"/> or <see cref="InvalidSettingsException"/> for a wrong setting.</summary>
    public void CheckSettings()
    {
        if (Interlocked.Exchange(ref _checked, 1) == 1)
        {
            return;
        }

        // Every options class registered with ValidateOnStart, in either host: none is listed here to be forgotten.
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            // Several sections wrong at once: one exception with every failure, as a single section gives.
            throw new OptionsValidationException(Options.DefaultName, typeof(object), [.. ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures)]);
        }

        // Throws InvalidSettingsException for a connection it cannot understand.
        services.GetRequiredService<StorageClients>();
    }
}
