using System.Text.RegularExpressions;

namespace Captioner.Infra.Tests.Image;

/// <summary>
/// The rules of a <c>.dockerignore</c> as the Docker builder applies them (moby/patternmatcher): patterns are
/// relative to the context root, <c>**</c> spans any number of folders, <c>*</c> and <c>?</c> stay within one name,
/// a leading <c>!</c> re-includes, the last matching line wins, and a pattern matching a folder excludes what is in it.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(string Text, Regex Pattern, bool Exclude)> _rules;

    private DockerIgnore(List<(string Text, Regex Pattern, bool Exclude)> rules) => _rules = rules;

    public static DockerIgnore Read(string file)
    {
        var rules = new List<(string, Regex, bool)>();
        foreach (var raw in File.ReadAllLines(file))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var exclude = !line.StartsWith('!');
            var pattern = (exclude ? line : line[1..]).Trim().Trim('/');
            rules.Add((pattern, new Regex("^" + ToRegex(pattern) + "$", RegexOptions.CultureInvariant), exclude));
        }

        return new DockerIgnore(rules);
    }

    /// <summary>Whether the file at <paramref name="relativePath"/> (forward slashes) is left out of the build context.</summary>
    public bool Excludes(string relativePath)
    {
        var parts = relativePath.Split('/');
        var excluded = false;
        foreach (var (_, pattern, exclude) in _rules)
        {
            // The path itself or any folder above it.
            for (var length = 1; length <= parts.Length; length++)
            {
                if (pattern.IsMatch(string.Join('/', parts[..length])))
                {
                    excluded = exclude;
                    break;
                }
            }
        }

        return excluded;
    }

    /// <summary>Whether a folder can be skipped whole: it is excluded and no <c>!</c> line names anything inside it.</summary>
    public bool ExcludesAllOf(string relativeFolder) =>
        Excludes(relativeFolder) && !_rules.Any(r => !r.Exclude && r.Text.StartsWith(relativeFolder + "/", StringComparison.Ordinal));

    private static string ToRegex(string pattern)
    {
        var regex = new System.Text.StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches zero or more folders; a trailing "**" anything below.
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    i++;
                    regex.Append("(?:.*/)?");
                }
                else
                {
                    regex.Append(".*");
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.ToString();
    }
}
