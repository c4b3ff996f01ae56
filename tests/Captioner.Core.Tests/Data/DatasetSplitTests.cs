using Captioner.Evaluation.Data;

namespace Captioner.Core.Tests.Data;

public class DatasetSplitTests
{
    private static readonly IReadOnlyList<CaptionedImage> Images =
        [.. Enumerable.Range(0, 400).Select(i => new CaptionedImage($"img{i}.jpg", ["a caption"]))];

    [Fact]
    public void Split_lists_pick_their_images_in_list_order()
    {
        var (train, dev) = DatasetSplit.Split(Images, ["img3.jpg", "img1.jpg"], ["img2.jpg"], 0.1);

        Assert.Equal(["img3.jpg", "img1.jpg"], train.Select(i => i.ImageFile));
        Assert.Equal(["img2.jpg"], dev.Select(i => i.ImageFile));
    }

    [Fact]
    public void With_only_a_dev_list_every_other_image_trains()
    {
        var (train, dev) = DatasetSplit.Split(Images, null, ["img2.jpg"], 0.1);

        Assert.Single(dev);
        Assert.Equal(399, train.Count);
    }

    [Fact]
    public void Without_lists_the_dev_share_follows_the_fraction_and_does_not_depend_on_order()
    {
        var (train, dev) = DatasetSplit.Split(Images, null, null, 0.25);
        var (_, devReversed) = DatasetSplit.Split([.. Images.Reverse()], null, null, 0.25);

        Assert.InRange(dev.Count, 70, 130);
        Assert.Equal(400, train.Count + dev.Count);
        Assert.Equal(dev.Select(i => i.ImageFile).Order(), devReversed.Select(i => i.ImageFile).Order());
    }

    [Fact]
    public void A_split_with_no_images_is_an_error_naming_it()
    {
        var error = Assert.Throws<InvalidDataException>(() => DatasetSplit.Split(Images, ["img1.jpg"], [], 0.1));
        Assert.Equal("The dev split has no images.", error.Message);
    }

    [Fact]
    public void Split_names_without_captions_are_an_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => DatasetSplit.Split(Images, ["img1.jpg"], ["nope.jpg"], 0.1));
        Assert.Contains("nope.jpg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_in_both_splits_is_an_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => DatasetSplit.Split(Images, ["img1.jpg", "img2.jpg"], ["img2.jpg"], 0.1));
        Assert.Contains("both the train and the dev split", error.Message, StringComparison.Ordinal);
    }
}
