using Captioner.Core.Vocabulary;

namespace Captioner.Benchmarks;

/// <summary>
/// The two things the adaptation benchmark teaches a model that never saw them (scripts/bench-adapt.sh): snow and
/// bikes, each a family of words. A caption mentions a family when one of its tokens is one of the family's words.
/// </summary>
internal static class ConceptFamilies
{
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Words = new Dictionary<string, IReadOnlySet<string>>
    {
        ["snow"] = new HashSet<string>(StringComparer.Ordinal) { "snow", "snowy", "ski", "skis", "skier", "skiers", "skiing", "snowboard", "snowboarder", "snowboarders", "snowboarding", "sled", "sledding", "snowball", "snowman" },
        ["bikes"] = new HashSet<string>(StringComparer.Ordinal) { "bike", "bikes", "bicycle", "bicycles", "biker", "bikers", "bicyclist", "cyclist", "cyclists", "bmx", "biking", "motorcycle", "motorbike" },
    };

    /// <summary>References of an image must mention a family at least this often for the image to show it.</summary>
    public const int ReferencesToShow = 3;

    /// <summary>The families <paramref name="caption"/> mentions.</summary>
    public static IEnumerable<string> Mentioned(string caption)
    {
        var tokens = CaptionTokenizer.Tokenize(caption);
        return Words.Where(family => tokens.Any(family.Value.Contains)).Select(family => family.Key);
    }

    /// <summary>The family an image shows (at least <see cref="ReferencesToShow"/> of its references mention it), or null.</summary>
    public static string? Shown(IReadOnlyList<string> references) =>
        Words.Keys.FirstOrDefault(family => references.Count(r => Mentioned(r).Contains(family)) >= ReferencesToShow);

    /// <summary>True when any reference mentions any family.</summary>
    public static bool MentionsAny(IReadOnlyList<string> references) => references.Any(r => Mentioned(r).Any());
}
