namespace Captioner.Core.Models;

/// <summary>Limits on the model versions a host downloads (configuration section <c>Captioner:Models</c>).</summary>
public sealed class ModelStoreOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "Captioner:Models";

    /// <summary>Default cap: the largest shipped model file (models/default/decoder_step.onnx, 15.5 MiB) plus some headroom.</summary>
    public const long DefaultMaxFileBytes = 24 * 1024 * 1024;

    /// <summary>Protobuf cannot parse an ONNX graph of 2 GiB or more, so no cap above that is meaningful.</summary>
    public const long LargestMaxFileBytes = int.MaxValue;

    /// <summary>
    /// The largest file of a model version a host downloads, in bytes; a larger blob is refused before its download
    /// (the whole file is held in memory to be hashed and opened).
    /// </summary>
    public long MaxFileBytes { get; set; } = DefaultMaxFileBytes;
}
