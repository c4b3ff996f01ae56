using Captioner.Core.Models;
using Microsoft.Extensions.Options;

namespace Captioner.Hosting;

/// <summary>A seed model folder must hold a model that verifies (it is loaded once, at start).</summary>
public sealed class SeedModelOptionsValidator : IValidateOptions<SeedModelOptions>
{
    public ValidateOptionsResult Validate(string? name, SeedModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SeedModel is not { Length: > 0 } seed)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            CaptioningModel.LoadFolder(seed).Dispose();
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is ModelLoadException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return ValidateOptionsResult.Fail($"Captioner:SeedModel: the folder '{seed}' does not hold a model that verifies: {ex.Message.Split('\n')[0].Trim()}");
        }
    }
}
