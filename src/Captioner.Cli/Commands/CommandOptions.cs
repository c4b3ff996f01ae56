using System.CommandLine;

namespace Captioner.Cli.Commands;

internal static class CommandOptions
{
    /// <summary>Adds <paramref name="options"/> to <paramref name="command"/> in the order given, the order <c>--help</c> lists them.</summary>
    public static void AddOptions(this Command command, params IEnumerable<Option> options)
    {
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
    }
}
