using Captioner.Core.Models;
using Captioner.Core.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Captioner.Hosting;

/// <summary>Loads the current model at start and polls <c>models/current.json</c> for a new one.</summary>
public sealed class ModelRefreshService : BackgroundService
{
    private readonly ModelRegistry _registry;
    private readonly PipelineOptions _options;

    public ModelRefreshService(ModelRegistry registry, IOptions<PipelineOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _registry = registry;
        _options = options.Value;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _registry.RunAsync(_options.ModelPollInterval, stoppingToken);
}
