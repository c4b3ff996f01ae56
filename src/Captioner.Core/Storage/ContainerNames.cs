using System.Text.RegularExpressions;

namespace Captioner.Core.Storage;

/// <summary>What a blob container name may be (storage's own rule).</summary>
public static partial class ContainerNames
{
    public const string Rule = "3 to 63 lowercase letters, digits and single hyphens, starting with a letter or digit";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
