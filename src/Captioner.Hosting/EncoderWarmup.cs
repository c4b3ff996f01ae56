using Captioner.Core.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Captioner.Hosting;

/// <summary>Loads the encoder at start-up, so the execution provider (CUDA or CPU) is chosen and logged then, not on the first image.</summary>
public sealed class EncoderWarmup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<FeatureExtractor>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
