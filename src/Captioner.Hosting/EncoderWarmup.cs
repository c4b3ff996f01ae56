using Captioner.Core.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Captioner.Hosting;

/// <summary>
/// Loads the encoder at start-up, so the execution provider (CUDA or CPU) is chosen and logged then, not on the first
/// image; where CUDA is required and cannot be used, the host stops here with one line saying why.
/// </summary>
public sealed class EncoderWarmup(IServiceProvider services, ILogger<EncoderWarmup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            services.GetRequiredService<FeatureExtractor>();
        }
        catch (CudaRequiredException ex)
        {
            logger.CudaRequired(ex.Message);
            throw;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
