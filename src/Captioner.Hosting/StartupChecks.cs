using Captioner.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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

    /// <summary>Throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> or <see cref="InvalidSettingsException"/> for a wrong setting.</summary>
    public void CheckSettings()
    {
        if (Interlocked.Exchange(ref _checked, 1) == 1)
        {
            return;
        }

        _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Core.Pipeline.PipelineOptions>>().Value;
        _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Core.Features.FeatureExtractorOptions>>().Value;
        _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Gallery.GalleryOptions>>().Value;
        _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SeedModelOptions>>().Value;
        _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageTransportOptions>>().Value;

        // Throws InvalidSettingsException for a connection it cannot understand.
        services.GetRequiredService<StorageClients>();

    }
}
