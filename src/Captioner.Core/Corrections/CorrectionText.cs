using System.Globalization;
using System.Text;

namespace Captioner.Core.Corrections;

/// <summary>
/// The one check of a corrected caption's text, before it is stored or trained on: an allowlist of what a caption is made
/// of (ASCII letters, digits, spaces and the punctuation . , ' - ; the model's words are lower-cased letter and digit
/// tokens, so nothing else could be learnt), 1 to <see cref="MaxWords"/> words with at least one letter, at most
/// <see cref="MaxLength"/> characters. Runs of spaces fold into one; case is kept as typed (training lower-cases).
/// </summary>
public static class CorrectionText
{
    public const int MaxLength = 200;
    public const int MaxWords = 30;

    /// <summary>The text normalised (spaces folded, trimmed) and null, or null and the problem with it.</summary>
    public static (string? Text, string? Problem) Check(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "A caption needs at least one word.");
        }

        if (text.Length > MaxLength)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"A caption is at most {MaxLength} characters (this one has {text.Length})."));
        }

        var normalised = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or ',' or '\'' or '-'))
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"A caption may hold only letters a-z, digits, spaces and . , ' - (character {i + 1} is {Describe(c)})."));
            }

            if (c != ' ' || (normalised.Length > 0 && normalised[^1] != ' '))
            {
                normalised.Append(c);
            }
        }

        var result = normalised.ToString().TrimEnd();
        var words = result.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!result.Any(char.IsAsciiLetter))
        {
            return (null, "A caption needs at least one word with a letter.");
        }

        return words.Length > MaxWords
            ? (null, string.Create(CultureInfo.InvariantCulture, $"A caption is at most {MaxWords} words (this one has {words.Length})."))
            : (result, null);
    }

    // Printable ASCII as itself; anything else by its code point, so a control or direction character is named, not shown.
    private static string Describe(char c) =>
        c is >= ' ' and <= '~' ? $"'{c}'" : string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");
}
