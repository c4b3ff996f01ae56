using Captioner.Evaluation.Captioning;
using Captioner.Core.Imaging;

namespace Captioner.Cli.Commands;

/// <summary>Writes <c>caption --attention-maps DIR</c>'s pictures: <c>DIR/NAME.attention.png</c> per captioned image.</summary>
internal sealed class AttentionPictures
{
    private const int PhotoSide = 256;
    private readonly string _folder;
    private readonly ImagePreprocessor _preprocessor = new();

    private AttentionPictures(string folder) => _folder = folder;

    /// <summary>Checks that the model attends (refusing with a usage error otherwise) and creates the folder.</summary>
    public static AttentionPictures Create(string folder, ImageCaptioner captioner)
    {
        if (!captioner.UsesAttention)
        {
            throw new UsageException($"--attention-maps needs an attention model; {captioner.ModelVersion} is {captioner.DecoderKind}.");
        }

        Directory.CreateDirectory(folder);
        return new AttentionPictures(folder);
    }

    /// <summary>Draws the picture of one captioned image.</summary>
    public void Write(CaptionOutcome outcome)
    {
        var caption = outcome.Caption!;
        var words = caption.Caption.Length == 0 ? [] : caption.Caption.Split(' ');
        using var photo = _preprocessor.DecodeUpright(File.ReadAllBytes(outcome.Image), PhotoSide);
        var png = AttentionPicture.Render(photo, words, caption.Attention ?? []);
        File.WriteAllBytes(Path.Combine(_folder, Path.GetFileNameWithoutExtension(outcome.Image) + ".attention.png"), png);
    }
}
