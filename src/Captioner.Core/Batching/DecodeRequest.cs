using Captioner.Core.Decoding;

namespace Captioner.Core.Batching;

/// <summary>One image to caption: its encoder's name, pooled features, region map (when the message had one) and decoding.</summary>
public sealed record DecodeRequest(string Encoder, float[] Features, float[]? Map, DecodingOptions Options);
