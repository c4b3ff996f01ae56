using Microsoft.Extensions.Options;

namespace Captioner.Core.Models;

/// <summary>Checks the model download limits when the host starts.</summary>
public sealed class ModelStoreOptionsValidator : IValidateOptions<ModelStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxFileBytes is >= 1 and <= ModelStoreOptions.LargestMaxFileBytes
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{ModelStoreOptions.Section}:MaxFileBytes must be 1..{ModelStoreOptions.LargestMaxFileBytes} (got {options.MaxFileBytes}).");
    }
}
