using Captioner.Evaluation.Data;

namespace Captioner.Core.Tests.Data;

public class CaptionFilesTests
{
    [Fact]
    public void Tsv_lines_group_captions_by_image_in_file_order()
    {
        var images = CaptionFiles.Read("b.jpg\tA dog runs .\na.jpg\tA cat .\nb.jpg\tA dog plays .\n", "captions.tsv", CaptionFileFormat.Auto);

        Assert.Equal(["b.jpg", "a.jpg"], images.Select(i => i.ImageFile));
        Assert.Equal(["A dog runs .", "A dog plays ."], images[0].Captions);
    }

    [Fact]
    public void Flickr8k_token_lines_drop_the_caption_number()
    {
        const string content = "1000268201_693b08cb0e.jpg#0\tA child in a pink dress .\n1000268201_693b08cb0e.jpg#1\tA girl going into a wooden building .\n";

        Assert.Equal(CaptionFileFormat.Flickr8kToken, CaptionFiles.Detect(content, "Flickr8k.token.txt"));
        var image = Assert.Single(CaptionFiles.Read(content, "Flickr8k.token.txt", CaptionFileFormat.Auto));
        Assert.Equal("1000268201_693b08cb0e.jpg", image.ImageFile);
        Assert.Equal(2, image.Captions.Count);
    }

    [Fact]
    public void Coco_json_joins_annotations_to_file_names()
    {
        const string content = """
            {"images": [{"id": 7, "file_name": "x.jpg"}, {"id": 9, "file_name": "y.jpg"}],
             "annotations": [{"image_id": 9, "caption": " A bus. "}, {"image_id": 7, "caption": "A tree."}, {"image_id": 9, "caption": "A red bus."}]}
            """;

        var images = CaptionFiles.Read(content, "captions_train.json", CaptionFileFormat.Auto);

        Assert.Equal(["y.jpg", "x.jpg"], images.Select(i => i.ImageFile));
        Assert.Equal(["A bus.", "A red bus."], images[0].Captions);
    }

    [Fact]
    public void An_empty_file_is_an_error_that_says_so()
    {
        var error = Assert.Throws<InvalidDataException>(() => CaptionFiles.Read("  \n\n", "captions.tsv", CaptionFileFormat.Auto));
        Assert.Contains("'captions.tsv' is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Content_of_no_known_format_is_an_unknown_format_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => CaptionFiles.Read("<captions><c>a dog</c></captions>", "captions.xml", CaptionFileFormat.Auto));
        Assert.Contains("Unknown captions format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_format_name_that_is_not_known_is_refused_with_the_known_ones()
    {
        var error = Assert.Throws<InvalidDataException>(() => CaptionFiles.ParseFormat("xml"));
        Assert.Contains("use auto, tsv, flickr8k or coco", error.Message, StringComparison.Ordinal);
        Assert.Equal(CaptionFileFormat.CocoJson, CaptionFiles.ParseFormat("COCO"));
    }

    [Fact]
    public void Json_that_is_not_coco_captions_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => CaptionFiles.Read("{\"photos\": []}", "c.json", CaptionFileFormat.Auto));
        Assert.Contains("not COCO captions", error.Message, StringComparison.Ordinal);
    }
}
