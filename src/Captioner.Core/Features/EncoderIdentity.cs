namespace Captioner.Core.Features;

/// <summary>Names the image encoder and its preprocessing; a model records it and refuses any other encoder.</summary>
public static class EncoderIdentity
{
    /// <summary>The encoder: ResNet18 from Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, global average pooled.</summary>
    public const string Name = "resnet18-imagenet-pool5/Microsoft.ML.DnnImageFeaturizer.ResNet18@0.23.1";

    /// <summary>The preprocessing, as recorded in manifests.</summary>
    public const string Preprocessing =
        "decode (EXIF orientation, alpha over white) -> stretch to 224x224 (linear, mipmaps) -> RGB 0..255 -> BGR minus mean image (ResNetPreprocess.onnx)";

    /// <summary>Pooled features per image (the global average of the region map).</summary>
    public const int FeatureSize = 512;

    /// <summary>Image regions of the spatial map: the 7x7 grid of the last convolution block.</summary>
    public const int Regions = 49;

    /// <summary>Values of one image's region map, region-major: [49 regions x 512 channels].</summary>
    public const int MapSize = Regions * FeatureSize;
}
