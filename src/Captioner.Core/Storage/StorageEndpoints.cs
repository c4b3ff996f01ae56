namespace Captioner.Core.Storage;

/// <summary>
/// The blob, queue and table endpoints of a storage account reached with an Entra ID token (no keys): the public
/// cloud's endpoints of a named account, each replaceable by one given explicitly (Azurite, another cloud, a private
/// endpoint). The hosts (from <c>AzureWebJobsStorage__*</c>) and the command line (<c>--account</c>) both resolve here.
/// </summary>
public sealed record StorageEndpoints(Uri Blob, Uri Queue, Uri Table)
{
    /// <summary>
    /// Resolves each service's endpoint: the explicit one when given (not empty), else <c>https://{account}.{service}.core.windows.net</c>.
    /// A null <paramref name="accountName"/> names no account; an empty one is invalid.
    /// Throws <see cref="InvalidStorageEndpointException"/> naming the part at fault: an invalid account name, an endpoint
    /// that is not an absolute https URL (the SDK sends tokens only over TLS), or neither an account nor the endpoint.
    /// </summary>
    public static StorageEndpoints Resolve(string? accountName, string? blob = null, string? queue = null, string? table = null)
    {
        if (accountName is not null && !IsAccountName(accountName))
        {
            throw new InvalidStorageEndpointException(InvalidStorageEndpointException.AccountPart, $"'{accountName}' is not a storage account name: 3 to 24 lowercase letters and digits.");
        }

        return new(Endpoint(accountName, "blob", blob), Endpoint(accountName, "queue", queue), Endpoint(accountName, "table", table));
    }

    /// <summary>Azure's rule for account names: 3 to 24 characters, lowercase letters and digits only.</summary>
    public static bool IsAccountName(string name) =>
        name is { Length: >= 3 and <= 24 } && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9'));

    private static Uri Endpoint(string? accountName, string service, string? explicitEndpoint)
    {
        if (string.IsNullOrEmpty(explicitEndpoint))
        {
            return accountName is not null
                ? new Uri($"https://{accountName}.{service}.core.windows.net")
                : throw new InvalidStorageEndpointException(service, $"No {service} endpoint: name the account or give the {service} endpoint.");
        }

        return Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri
            : throw new InvalidStorageEndpointException(service, $"The {service} endpoint '{explicitEndpoint}' is not an absolute https URL (tokens are sent only over TLS).");
    }
}
