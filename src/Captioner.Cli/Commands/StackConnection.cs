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

    // Two retries: a stack that is down is said within seconds, not after the SDK's half minute of back-off.
    public static StorageClients Clients(string connection) => StorageClients.FromConnectionString(connection, maxRetries: 2);
}
