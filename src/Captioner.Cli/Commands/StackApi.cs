using System.CommandLine;

namespace Captioner.Cli.Commands;

/// <summary>
/// How a command reaches the running stack's HTTP API: <c>--api</c>, and <c>--key</c> (default
/// <c>$CAPTIONER_API_KEY</c>), the function or host key a deployed app asks for; the local host ignores it.
/// </summary>
internal sealed class StackApi
{
    public const string KeyVariable = "CAPTIONER_API_KEY";

    private readonly Option<string> _api = new("--api") { Description = "The stack's HTTP endpoint.", DefaultValueFactory = _ => "http://127.0.0.1:7071" };

    private readonly Option<string?> _key = new("--key")
    {
        Description = $"Function or host key of the deployed app, sent as x-functions-key on every request; default: ${KeyVariable}.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } key ? key : null,
    };

    private StackApi()
    {
    }

    /// <summary>Adds the options to <paramref name="command"/>, checked with its other arguments before any work.</summary>
    public static StackApi AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var api = new StackApi();
        command.AddOptions(api._api, api._key);
        command.Validators.Add(api.Validate);
        return api;
    }

    public string Address(ParseResult result) => result.GetValue(_api)!;

    /// <summary>A client for the API: the key on every request, a refusal (401/403) thrown as <see cref="AccessRefusedException"/>.</summary>
    public HttpClient CreateClient(ParseResult result) =>
        new(new FunctionKeyHandler(result.GetValue(_key)), disposeHandler: true) { BaseAddress = new Uri(Address(result)) };

    private void Validate(System.CommandLine.Parsing.CommandResult result)
    {
        var key = result.GetValue(_key);
        var given = result.GetResult(_key) is { Implicit: false };
        if (given && string.IsNullOrWhiteSpace(key))
        {
            result.AddError("--key is empty: give the app's function key, or leave --key out (the local host needs none).");
        }
        else if (key is not null && key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            result.AddError($"{(given ? "--key" : "$" + KeyVariable)}: a function key has no spaces or control characters.");
        }
    }
}
