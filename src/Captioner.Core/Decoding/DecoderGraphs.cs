namespace Captioner.Core.Decoding;

/// <summary>File and tensor names of the two exported decoder graphs.</summary>
public static class DecoderGraphs
{
    /// <summary>features [N, F] -> h [N, H], c [N, H].</summary>
    public const string InitFile = "decoder_init.onnx";

    /// <summary>token [N] (int64), h [N, H], c [N, H] -> logprobs [N, V], h' [N, H], c' [N, H].</summary>
    public const string StepFile = "decoder_step.onnx";

    public const string Features = "features";
    public const string Token = "token";
    public const string HiddenIn = "h";
    public const string CellIn = "c";
    public const string LogProbabilities = "logprobs";
    public const string HiddenOut = "h_out";
    public const string CellOut = "c_out";
}
