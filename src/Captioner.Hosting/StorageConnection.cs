using Azure.Core;
using Azure.Identity;
using Captioner.Core.Storage;
using Microsoft.Extensions.Configuration;

namespace Captioner.Hosting;

/// <summary>
/// Builds the storage clients from the same <c>AzureWebJobsStorage</c> setting the triggers use:
/// a connection string locally (Azurite), or identity-based in Azure
/// (<c>AzureWebJobsStorage__accountName</c> or <c>__blobServiceUri</c>/<c>__queueServiceUri</c>/<c>__tableServiceUri</c>,
/// with <c>__credential=managedidentity</c> and <c>__clientId</c> for a user-assigned identity). No keys needed in Azure.
/// </summary>
public static class StorageConnection
{
    private const string Name = StorageNames.ConnectionSetting;

    /// <summary>The clients for <c>AzureWebJobsStorage</c>, retrying requests as <paramref name="transport"/> says (<c>Captioner:Storage</c>, validated at start).</summary>
    public static StorageClients Create(IConfiguration configuration, StorageTransportOptions transport, StorageNames? names = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        names ??= new StorageNames();
        if (configuration[Name] is { Length: > 0 } connectionString)
        {
            try
            {
                return StorageClients.FromConnectionString(connectionString, names, transport);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException or InvalidOperationException)
            {
                throw new InvalidSettingsException($"{Name} is not a storage connection string: {ex.Message.Split('\n')[0].Trim()}", ex);
            }
        }

        var section = configuration.GetSection(Name);
        StorageEndpoints endpoints;
        try
        {
            endpoints = StorageEndpoints.Resolve(section["accountName"], section["blobServiceUri"], section["queueServiceUri"], section["tableServiceUri"]);
        }
        catch (InvalidStorageEndpointException ex)
        {
            var setting = ex.Part == InvalidStorageEndpointException.AccountPart ? "accountName" : ex.Part + "ServiceUri";
            throw new InvalidSettingsException($"{Name}__{setting}: {ex.Message} Set {Name} (a connection string) or {Name}__accountName (and, to override an endpoint, {Name}__blobServiceUri, __queueServiceUri, __tableServiceUri).", ex);
        }

        return StorageClients.FromEndpoints(endpoints, CreateCredential(section), names, transport);
    }

    private static TokenCredential CreateCredential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        return string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrEmpty(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }
}
