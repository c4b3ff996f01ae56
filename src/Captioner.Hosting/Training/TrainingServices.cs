using Captioner.Core.Features;
using Captioner.Core.Imaging;
using Captioner.Core.Models;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Captioner.Training.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Captioner.Hosting.Training;

/// <summary>Registers what the training activities need (on top of <see cref="CaptionerServices.AddCaptioner"/>, whose settings they share).</summary>
public static class TrainingServices
{
    public static IServiceCollection AddCaptionerTraining(this IServiceCollection services)
    {
        services.AddSingleton(provider => new TrainingWorkspace(provider.GetRequiredService<StorageClients>(), provider.GetRequiredService<ModelStore>()));

        // Training's features are the reference float ones, whatever precision the pipeline's encoder runs at.
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<FeatureExtractorOptions>>().Value;
            var extractor = new FeatureExtractor(new FeatureExtractorOptions { EncoderDirectory = options.EncoderDirectory, PreferCuda = options.PreferCuda, RequireCuda = options.RequireCuda, IntraOpThreads = options.IntraOpThreads, Precision = TrainingFeatures.Precision });
            return new ImageFeaturizer(new ImagePreprocessor(provider.GetRequiredService<IOptions<PipelineOptions>>().Value.Limits), extractor);
        });
        return services;
    }
}
