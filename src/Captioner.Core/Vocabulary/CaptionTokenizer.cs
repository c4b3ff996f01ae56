using System.Text.RegularExpressions;

namespace Captioner.Core.Vocabulary;

/// <summary>
/// Turns a caption into lower-cased, punctuation-free tokens. Training, evaluation and the
/// vocabulary all use this one definition so that scores and the model agree on what a word is.
/// </summary>
public static partial class CaptionTokenizer
{
    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    /// <summary>Splits <paramref name="caption"/> into lower-cased word tokens.</summary>
    public static string[] Tokenize(string caption)
    {
        ArgumentNullException.ThrowIfNull(caption);
        var matches = WordPattern().Matches(caption.ToLowerInvariant());
        var tokens = new string[matches.Count];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = matches[i].Value;
        }

        return tokens;
    }
}
