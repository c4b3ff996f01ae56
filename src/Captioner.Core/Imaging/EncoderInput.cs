namespace Captioner.Core.Imaging;

/// <summary>The encoder's input geometry: planar RGB floats in 0..255 of a square image.</summary>
public static class EncoderInput
{
    /// <summary>Width and height the whole image is resized to (aspect ratio not kept, as in the training data).</summary>
    public const int Side = 224;

    /// <summary>Floats per image: 3 planes of <see cref="Side"/> x <see cref="Side"/>.</summary>
    public const int FloatsPerImage = 3 * Side * Side;

    /// <summary>Mirrors one image's planes left to right in place: the encoder input of the horizontally flipped photo.</summary>
    public static void MirrorHorizontally(Span<float> image)
    {
        if (image.Length != FloatsPerImage)
        {
            throw new ArgumentException($"An encoder input is {FloatsPerImage} floats.", nameof(image));
        }

        for (var row = 0; row < 3 * Side; row++)
        {
            image.Slice(row * Side, Side).Reverse();
        }
    }
}
