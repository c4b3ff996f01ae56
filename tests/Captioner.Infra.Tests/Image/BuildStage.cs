using System.Text.RegularExpressions;

namespace Captioner.Infra.Tests.Image;

/// <summary>
/// The build stage of a Dockerfile (from <c>FROM ... AS build</c> to the next <c>FROM</c>), read as the builder
/// reads it: continuation lines joined, comment lines inside an instruction dropped.
/// </summary>
internal sealed record BuildStage(string WorkingDirectory, IReadOnlyList<(IReadOnlyList<string> Sources, string Destination)> Copies, IReadOnlyList<string> Runs)
{
    public static BuildStage Read(string dockerfile, string stageName)
    {
        var instructions = Instructions(File.ReadAllLines(dockerfile));
        var start = instructions.FindIndex(i => Regex.IsMatch(i, $@"^FROM\s+\S+\s+AS\s+{Regex.Escape(stageName)}$", RegexOptions.IgnoreCase));
        if (start < 0)
        {
            throw new InvalidDataException($"{dockerfile} has no stage named {stageName}");
        }

        var end = instructions.FindIndex(start + 1, i => i.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase));
        var stage = instructions[(start + 1)..(end < 0 ? instructions.Count : end)];
        var workdir = stage.Where(i => i.StartsWith("WORKDIR ", StringComparison.Ordinal)).Select(i => i[8..].Trim()).LastOrDefault() ?? "/";
        var copies = new List<(IReadOnlyList<string>, string)>();
        foreach (var copy in stage.Where(i => i.StartsWith("COPY ", StringComparison.Ordinal)))
        {
            var words = copy[5..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Any(w => w.StartsWith("--", StringComparison.Ordinal)))
            {
                throw new InvalidDataException("COPY flags are not read by this test: " + copy);
            }

            copies.Add((words[..^1], words[^1]));
        }

        return new BuildStage(workdir, copies, stage.Where(i => i.StartsWith("RUN ", StringComparison.Ordinal)).Select(i => i[4..].Trim()).ToList());
    }

    private static List<string> Instructions(IEnumerable<string> lines)
    {
        var instructions = new List<string>();
        string? pending = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (pending is null && line.Length == 0))
            {
                continue;
            }

            var continues = line.EndsWith('\\');
            var text = continues ? line[..^1].TrimEnd() : line;
            pending = pending is null ? text : pending + " " + text;
            if (!continues)
            {
                instructions.Add(pending);
                pending = null;
            }
        }

        return instructions;
    }
}
