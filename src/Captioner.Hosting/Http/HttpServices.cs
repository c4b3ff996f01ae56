using Captioner.Core.Models;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Captioner.Hosting.Gallery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Captioner.Hosting.Http;

/// <summary>Registers the HTTP handlers both hosts serve.</summary>
public static class HttpServices
{
    public static IServiceCollection AddCaptionerHttp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GalleryOptions>().Bind(configuration.GetSection(CaptionerServices.Section + ":Gallery")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GalleryOptions>, GalleryOptionsValidator>();
        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<StorageClients>();
            return ActivatorUtilities.CreateInstance<ResultGallery>(provider, storage.Container(storage.Names.CaptionsContainer));
        });
        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<StorageClients>();
            return new ModelHandlers(storage.Container(storage.Names.ModelsContainer), provider.GetRequiredService<ModelStore>());
        });
        services.AddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<StorageClients>();
            return new Core.Corrections.CorrectionStore(storage.Container(storage.Names.TrainingContainer));
        });
        services.AddSingleton<CorrectionHandlers>();
        services.AddSingleton<BulkHandlers>();
        services.AddSingleton<GalleryHandlers>();
        services.AddSingleton<ImageHandlers>();
        services.AddSingleton<HeavyRequests>();
        services.AddSingleton<UploadSignal>();
        return services;
    }
}
