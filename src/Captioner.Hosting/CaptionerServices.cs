using Captioner.Hosting.Http;
using Captioner.Core.Batching;
using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.Core.Models;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Captioner.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Captioner.Hosting;

/// <summary>Registers the captioning pipeline the same way in every host.</summary>
public static class CaptionerServices
{
    /// <summary>Configuration section of <see cref="PipelineOptions"/> (and <c>Captioner:Encoder</c> for the encoder).</summary>
    public const string Section = "Captioner";

    public static IServiceCollection AddCaptioner(this IServiceCollection services, IConfiguration configuration, StorageNames? names = null)
    {
        // Wrong settings stop the host at start, each with its name (see StartupChecks for the rest).
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelineOptions>>(new PipelineOptionsValidator(names ?? new StorageNames()));
        services.AddOptions<FeatureExtractorOptions>().Bind(configuration.GetSection(Section + ":Encoder")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FeatureExtractorOptions>, FeatureExtractorOptionsValidator>();
        services.AddOptions<ModelStoreOptions>().Bind(configuration.GetSection(ModelStoreOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelStoreOptions>, ModelStoreOptionsValidator>();
        services.AddOptions<SeedModelOptions>().Bind(configuration.GetSection(Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SeedModelOptions>, SeedModelOptionsValidator>();
        services.AddOptions<StorageTransportOptions>().Bind(configuration.GetSection(StorageTransportOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageTransportOptions>, StorageTransportOptionsValidator>();
        services.AddSingleton<StartupChecks>();
        services.AddHostedService(provider => provider.GetRequiredService<StartupChecks>());
        services.AddSingleton(provider => StorageConnection.Create(configuration, provider.GetRequiredService<IOptions<StorageTransportOptions>>().Value, names));
        services.AddSingleton(provider =>
        {
            var extractor = new FeatureExtractor(provider.GetRequiredService<IOptions<FeatureExtractorOptions>>().Value);
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("Captioner.Encoder").EncoderStarted(extractor.ExecutionProvider);
            return extractor;
        });
        services.AddSingleton(provider =>
        {
            var extractor = provider.GetRequiredService<FeatureExtractor>();
            var options = provider.GetRequiredService<IOptions<PipelineOptions>>().Value;
            return new EncoderBatcher(new ImagePreprocessor(options.Limits), extractor, options.Batching.EncoderSettings(extractor.UsesCuda));
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<PipelineOptions>>().Value;
            var cuda = provider.GetRequiredService<FeatureExtractor>().UsesCuda;
            return new CaptionBatcher(provider.GetRequiredService<ModelRegistry>(), options.Batching.DecoderSettings(cuda));
        });
        services.AddSingleton<MetricsAggregator>();
        services.AddHostedService<MetricsReport>();
        services.AddHostedService<RetentionSweep>();
        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<StorageClients>();
            return new ResultStore(storage.Container(storage.Names.CaptionsContainer), storage.Names.ImagesContainer);
        });
        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<StorageClients>();
            return new ModelStore(storage.Container(storage.Names.ModelsContainer), provider.GetRequiredService<IOptions<ModelStoreOptions>>().Value);
        });
        services.AddSingleton(provider => new SourceContainers(
            provider.GetRequiredService<IOptions<PipelineOptions>>().Value.SourceContainers, provider.GetRequiredService<StorageClients>().Names));
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<BulkProgress>();
        services.AddCaptionerHttp(configuration);
        services.AddSingleton<PoisonMessages>();
        services.AddSingleton<FeaturesQueueSink>();
        services.AddSingleton<DecoderSink>();
        services.AddSingleton<ImageIngestHandler>();
        services.AddSingleton<CaptionHandler>();
        services.AddSingleton<BulkLister>();
        services.AddSingleton<ImageReconciler>();
        services.AddHostedService<EncoderWarmup>();
        services.AddHostedService<ModelRefreshService>();
        return services;
    }
}
