namespace Captioner.Core.Decoding;

/// <summary>How the next word is chosen.</summary>
public enum DecodingMode
{
    /// <summary>The most likely word at every step.</summary>
    Greedy,

    /// <summary>A word drawn from softmax(logits / T), optionally among the top k.</summary>
    Sample,

    /// <summary>Beam search with length-normalised scores.</summary>
    Beam,
}
