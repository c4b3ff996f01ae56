using Microsoft.Extensions.Options;

namespace Captioner.Functions;

/// <summary>The app's public address (<c>Captioner:PublicUrl</c>, set by the templates): empty, or an absolute https URL.</summary>
public sealed class PublicAddressOptions
{
    public string? PublicUrl { get; set; }

    /// <summary>The address, or null when none is set (checked at start by <see cref="PublicAddressOptionsValidator"/>).</summary>
    public Uri? Address => string.IsNullOrWhiteSpace(PublicUrl) ? null : new Uri(PublicUrl, UriKind.Absolute);
}

/// <summary>Refuses a public address that is not plain https at start: <c>Location</c> headers built from it would point nowhere.</summary>
public sealed class PublicAddressOptionsValidator : IValidateOptions<PublicAddressOptions>
{
    public ValidateOptionsResult Validate(string? name, PublicAddressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.PublicUrl;
        return string.IsNullOrWhiteSpace(value)
            || (Uri.TryCreate(value, UriKind.Absolute, out var address) && address.Scheme == Uri.UriSchemeHttps && address.Query.Length == 0)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Captioner:PublicUrl must be empty or an absolute https address without a query (got '{value}').");
    }
}
