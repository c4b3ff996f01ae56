using System.CommandLine;
using Captioner.Core.Storage;

namespace Captioner.Cli.Commands;

/// <summary>The <c>--connection</c> option of the commands that talk to a running stack.</summary>
internal static class StackConnection
{
    public static Option<string> Create() => new("--connection")
    {
        Description = "Storage connection string; default: $AzureWebJobsStorage, else the local Azurite (UseDevelopmentStorage=true).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AzureWebJobsStorage") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true",
    };

    // Two quick retries: a stack that is down is said within seconds, not after half a minute of back-off.
    public static StorageClients Clients(string connection) =>
        StorageClients.FromConnectionString(connection, transport: new StorageTransportOptions { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(300), MaxRetryDelay = TimeSpan.FromSeconds(1) });
}
