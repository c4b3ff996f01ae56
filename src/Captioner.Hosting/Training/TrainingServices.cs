using Captioner.Core.Models;
using Captioner.Core.Storage;
using Captioner.Training.Orchestration;
using Microsoft.Extensions.DependencyInjection;

namespace Captioner.Hosting.Training;

/// <summary>Registers what the training activities need (on top of <see cref="CaptionerServices.AddCaptioner"/>, whose encoder they share).</summary>
public static class TrainingServices
{
    public static IServiceCollection AddCaptionerTraining(this IServiceCollection services) =>
        services.AddSingleton(provider => new TrainingWorkspace(provider.GetRequiredService<StorageClients>(), provider.GetRequiredService<ModelStore>()));
}
