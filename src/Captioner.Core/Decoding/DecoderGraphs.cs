namespace Captioner.Core.Decoding;

/// <summary>
/// File and tensor names of the two exported decoder graphs. Soft-attention decoders read the region map
/// instead of the pooled features: init map [N, 49, F] -> h, c, map_projected [N, 49, A]; step token, h,
/// c, map, map_projected -> logprobs, h', c', attention [N, 49].
/// </summary>
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
    public const string Map = "map";
    public const string ProjectedMap = "map_projected";
    public const string Attention = "attention";
}
