using Captioner.Core.Pipeline;

namespace Captioner.Core.Tests.Pipeline;

public class ImageNamesTests
{
    [Theory]
    [InlineData("photo.jpg")]
    [InlineData("2024/summer/beach day.jpg")]
    [InlineData("fotos/ñandú/日本.png")]
    [InlineData(".hidden/photo.jpg")]
    [InlineData("a..b.jpg")]
    public void A_blob_name_with_folders_spaces_and_unicode_is_an_image_name(string name)
    {
        Assert.Null(ImageNames.Problem(name));
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData("photo.", "cannot end with '.'")]
    [InlineData("folder/", "'/'")]
    [InlineData("/etc/passwd", "'/'")]
    [InlineData("a//b.jpg", "empty, '.' or '..' segments")]
    [InlineData("a/./b.jpg", "empty, '.' or '..' segments")]
    [InlineData("../local-host/checkpoint.json", "empty, '.' or '..' segments")]
    [InlineData("a\\b.jpg", "'\\'")]
    [InlineData("a\u0000b.jpg", "control characters")]
    [InlineData("a\nb.jpg", "control characters")]
    [InlineData(".containers/archive/x.jpg", "reserved")]
    public void A_name_that_is_a_path_or_cannot_hold_a_result_is_refused_with_a_reason(string name, string reason)
    {
        Assert.Contains(reason, ImageNames.Problem(name), StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_is_at_most_as_long_as_leaves_room_for_its_result_suffix()
    {
        Assert.Null(ImageNames.Problem(new string('a', ImageNames.MaxLength)));
        Assert.Contains("at most 1,019", ImageNames.Problem(new string('a', ImageNames.MaxLength + 1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2024/")]
    [InlineData("2024/summ")]
    public void A_folder_or_the_start_of_a_name_is_a_prefix(string prefix)
    {
        Assert.Null(ImageNames.PrefixProblem(prefix));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("a/../b/")]
    [InlineData("a//")]
    [InlineData("a\u0001")]
    public void A_prefix_that_is_a_path_is_refused(string prefix)
    {
        Assert.NotNull(ImageNames.PrefixProblem(prefix));
    }
}
