namespace Captioner.Evaluation.Data;

/// <summary>An image file name with its human reference captions.</summary>
public sealed record CaptionedImage(string ImageFile, IReadOnlyList<string> Captions);
