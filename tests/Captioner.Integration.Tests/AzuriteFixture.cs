using Captioner.Core.Storage;
using Captioner.TestSupport;

namespace Captioner.Integration.Tests;

/// <summary>One Azurite for the integration tests.</summary>
public sealed class AzuriteFixture : IDisposable
{
    private readonly AzuriteProcess _azurite = new();

    public string ConnectionString => _azurite.ConnectionString;

    public StorageClients CreateClients(StorageNames? names = null) => _azurite.CreateClients(names);

    public static string RepositoryRoot() => RepositoryPaths.Root;

    public void Dispose() => _azurite.Dispose();
}

/// <summary>Tests sharing one Azurite.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
