using System.CommandLine;

namespace Captioner.Cli.Commands;

/// <summary>The path arguments of the commands: an unknown option would otherwise be taken for a path.</summary>
internal static class PathArguments
{
    public static Argument<string[]> Create(string name, string description, ArgumentArity arity)
    {
        var argument = new Argument<string[]>(name) { Description = description, Arity = arity };
        argument.Validators.Add(result =>
        {
            foreach (var value in result.Tokens.Select(t => t.Value).Where(v => v.StartsWith('-') && !File.Exists(v) && !Directory.Exists(v)))
            {
                result.AddError($"Unrecognized option '{value}'.");
            }
        });
        return argument;
    }
}
