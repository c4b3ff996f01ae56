namespace Captioner.Core.Vocabulary;

/// <summary>The reserved tokens; their ids are fixed so exported graphs and vocabularies agree.</summary>
public static class SpecialTokens
{
    /// <summary>Padding, never predicted; masked out of the loss.</summary>
    public const string Pad = "#PAD#";

    /// <summary>A word below the minimum count.</summary>
    public const string Unknown = "#UNK#";

    /// <summary>The first input token of every caption.</summary>
    public const string Start = "#START#";

    /// <summary>Ends a caption.</summary>
    public const string End = "#END#";

    public const int PadId = 0;
    public const int UnknownId = 1;
    public const int StartId = 2;
    public const int EndId = 3;

    /// <summary>All reserved tokens in id order.</summary>
    public static IReadOnlyList<string> All { get; } = [Pad, Unknown, Start, End];
}
