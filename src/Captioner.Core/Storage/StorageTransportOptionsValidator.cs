using Microsoft.Extensions.Options;

namespace Captioner.Core.Storage;

/// <summary>The storage request retry settings, each in its range (<see cref="StorageTransportOptions.Problem"/>).</summary>
public sealed class StorageTransportOptionsValidator : IValidateOptions<StorageTransportOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
