using System.CommandLine;
using Azure.Identity;
using Captioner.Core.Storage;

namespace Captioner.Cli.Commands;

/// <summary>
/// How a command reaches the running stack's storage: a connection string (<c>--connection</c>: Azurite, or an account
/// key), or Entra ID (<c>--account</c>, signed in with DefaultAzureCredential: az login, azd auth login, a managed
/// identity), the only way into the deployed account, whose shared keys are off.
/// </summary>
internal sealed class StackStorage
{
    private readonly Option<string> _connection = new("--connection")
    {
        Description = "Storage connection string; default: $AzureWebJobsStorage, else the local Azurite (UseDevelopmentStorage=true).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(Core.Storage.StorageNames.ConnectionSetting) is { Length: > 0 } value ? value : "UseDevelopmentStorage=true",
    };

    private readonly Option<string?> _account = new("--account")
    {
        Description = "Storage account name, reached with your Azure sign-in (DefaultAzureCredential; az login or azd auth login) instead of a connection string.",
    };

    private readonly Option<string?>[] _endpoints = [Endpoint("blob"), Endpoint("queue"), Endpoint("table")];

    private StackStorage()
    {
    }

    /// <summary>Adds the options to <paramref name="command"/>, checked with its other arguments before any work.</summary>
    public static StackStorage AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var storage = new StackStorage();
        command.AddOptions([storage._connection, storage._account, .. storage._endpoints]);

        command.Validators.Add(storage.Validate);
        return storage;
    }

    /// <summary>The clients; storage calls give up after two quick retries, so a stack that is down is said within seconds.</summary>
    public StorageClients Clients(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.GetValue(_account) is { } account
            ? StorageClients.FromEndpoints(Endpoints(account, result.GetValue), new DefaultAzureCredential(), transport: QuickRetries)
            : StorageClients.FromConnectionString(result.GetValue(_connection)!, transport: QuickRetries);
    }

    private static readonly StorageTransportOptions QuickRetries = new() { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(300), MaxRetryDelay = TimeSpan.FromSeconds(1) };

    private static Option<string?> Endpoint(string service) => new($"--{service}-endpoint")
    {
        Description = $"With --account: the {service} service's https URL, when not https://ACCOUNT.{service}.core.windows.net (Azurite, another cloud, a private endpoint).",
    };

    private StorageEndpoints Endpoints(string account, Func<Option<string?>, string?> value) =>
        StorageEndpoints.Resolve(account, value(_endpoints[0]), value(_endpoints[1]), value(_endpoints[2]));

    private void Validate(System.CommandLine.Parsing.CommandResult result)
    {
        var given = _endpoints.Where(endpoint => result.GetResult(endpoint) is not null).ToList();
        foreach (var endpoint in given.Where(endpoint => string.IsNullOrEmpty(result.GetValue(endpoint))))
        {
            result.AddError($"{endpoint.Name} is empty.");
            return;
        }

        if (result.GetValue(_account) is not { } account)
        {
            if (given.Count > 0)
            {
                result.AddError($"{given[0].Name} needs --account (a connection string names its own endpoints).");
            }

            return;
        }

        if (result.GetResult(_connection) is { Implicit: false })
        {
            result.AddError("Use either --connection or --account, not both.");
            return;
        }

        try
        {
            Endpoints(account, result.GetValue);
        }
        catch (InvalidStorageEndpointException ex)
        {
            result.AddError($"{(ex.Part == InvalidStorageEndpointException.AccountPart ? "--account" : $"--{ex.Part}-endpoint")}: {ex.Message}");
        }
    }
}
