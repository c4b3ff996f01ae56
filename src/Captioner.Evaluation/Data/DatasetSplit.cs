using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Captioner.Evaluation.Data;

/// <summary>Splits captioned images into train and dev, by split lists or by a stable hash of the image name.</summary>
public static class DatasetSplit
{
    /// <summary>
    /// Train and dev images. With lists, each names its images (names without captions are an error);
    /// without them, an image goes to dev when the hash of its name falls in <paramref name="devFraction"/>,
    /// so the same image always lands on the same side however the file is ordered or grown.
    /// </summary>
    public static (IReadOnlyList<CaptionedImage> Train, IReadOnlyList<CaptionedImage> Dev) Split(
        IReadOnlyList<CaptionedImage> all, IReadOnlyList<string>? trainNames, IReadOnlyList<string>? devNames, double devFraction)
    {
        ArgumentNullException.ThrowIfNull(all);
        IReadOnlyList<CaptionedImage> train, dev;
        if (trainNames is not null || devNames is not null)
        {
            dev = devNames is null ? [] : SplitFile.Select(all, devNames, "dev");
            var devSet = dev.Select(image => image.ImageFile).ToHashSet(StringComparer.Ordinal);
            train = trainNames is null ? [.. all.Where(image => !devSet.Contains(image.ImageFile))] : SplitFile.Select(all, trainNames, "train");
        }
        else
        {
            if (devFraction is <= 0 or >= 1)
            {
                throw new InvalidDataException($"The dev fraction must be between 0 and 1 (got {devFraction}).");
            }

            var threshold = (ulong)(devFraction * ushort.MaxValue);
            dev = [.. all.Where(image => Bucket(image.ImageFile) < threshold)];
            train = [.. all.Where(image => Bucket(image.ImageFile) >= threshold)];
        }

        if (train.Count == 0)
        {
            throw new InvalidDataException("The train split has no images.");
        }

        if (dev.Count == 0)
        {
            throw new InvalidDataException("The dev split has no images.");
        }

        var overlap = train.Select(image => image.ImageFile).Intersect(dev.Select(image => image.ImageFile), StringComparer.Ordinal).Take(3).ToList();
        return overlap.Count > 0
            ? throw new InvalidDataException($"Images are in both the train and the dev split, e.g. {string.Join(", ", overlap)}.")
            : (train, dev);
    }

    private static ulong Bucket(string name) => BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(name))) % ushort.MaxValue;
}
