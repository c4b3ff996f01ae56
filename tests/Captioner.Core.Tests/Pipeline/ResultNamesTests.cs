using Captioner.Core.Pipeline;

namespace Captioner.Core.Tests.Pipeline;

public class ResultNamesTests
{
    private readonly ResultNames _names = new("images");

    [Fact]
    public void An_uploads_result_keeps_the_name_it_always_had()
    {
        Assert.Equal("2024/photo.jpg.json", _names.For("images", "2024/photo.jpg"));
        Assert.Equal(("images", "2024/photo.jpg"), _names.Parse("2024/photo.jpg.json"));
    }

    [Fact]
    public void The_same_name_in_two_containers_has_two_results()
    {
        var uploads = _names.For("images", "archive/x.jpg");
        var archive = _names.For("archive", "x.jpg");
        var archiveSameName = _names.For("archive", "archive/x.jpg");

        Assert.Equal(3, new[] { uploads, archive, archiveSameName }.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(".containers/archive/x.jpg.json", archive);
        Assert.Equal(("archive", "x.jpg"), _names.Parse(archive));
        Assert.Equal(("archive", "archive/x.jpg"), _names.Parse(archiveSameName));
        Assert.Equal(("images", "archive/x.jpg"), _names.Parse(uploads));
    }

    [Theory]
    [InlineData("photo.jpg")]
    [InlineData(".containers/archive.json")]
    [InlineData(".containers/archive/.json")]
    public void A_blob_that_is_not_a_result_parses_to_nothing(string blob)
    {
        Assert.Null(_names.Parse(blob));
    }
}
