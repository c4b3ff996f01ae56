using Captioner.Core.Decoding;
using Captioner.Core.Pipeline;
using Captioner.Core.Storage;
using Captioner.Hosting;

namespace Captioner.EndToEnd.Tests.Http;

/// <summary>The body of <c>POST /api/bulk</c>: what is accepted, and one reason for each thing refused before any work.</summary>
public class BulkRequestParserTests
{
    private static readonly SourceContainers Sources = new("images,archive", new StorageNames());

    [Fact]
    public void A_container_and_prefix_make_a_job_over_the_prefix_with_default_decoding_checked_once()
    {
        var checkedOptions = new List<DecodingOptions>();

        var bulk = BulkRequestParser.Parse("""{"container":"archive","prefix":"2024/"}""", Sources, checkedOptions.Add);

        Assert.Equal(("archive", "2024/", false, false), (bulk.Container, bulk.Prefix, bulk.Exact, bulk.Force));
        Assert.Equal(32, bulk.Id.Length);
        Assert.Equal(bulk.Decoding.ToOptions(), Assert.Single(checkedOptions));
    }

    [Fact]
    public void A_name_makes_a_job_of_that_one_image()
    {
        var bulk = BulkRequestParser.Parse("""{"container":"images","name":"a/b.jpg","force":true}""", Sources, _ => { });

        Assert.Equal(("a/b.jpg", true, true), (bulk.Prefix, bulk.Exact, bulk.Force));
    }

    [Theory]
    [InlineData("not json", "The body is not valid JSON")]
    [InlineData("""{"prefix":"a/"}""", "The body must name a container")]
    [InlineData("""{"container":"Bad_Name"}""", "'Bad_Name' is not a container name")]
    [InlineData("""{"container":"captions"}""", "Images are read only from 'images', 'archive'")]
    [InlineData("""{"container":"images","prefix":"../x"}""", "Bad prefix:")]
    [InlineData("""{"container":"images","name":"a.jpg","prefix":"a"}""", "not both")]
    [InlineData("""{"container":"images","name":"a/./b.jpg"}""", "Bad name:")]
    [InlineData("""{"container":"images","decoding":{"mode":"fancy"}}""", "Unknown decoding mode 'fancy'")]
    public void A_bad_body_is_refused_with_its_reason(string body, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => BulkRequestParser.Parse(body, Sources, _ => Assert.Fail("decoding checked for a refused body")));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_over_the_limit_is_refused_before_it_is_read()
    {
        var body = $$"""{"container":"images","prefix":"{{new string('a', BulkRequestParser.MaxBodyChars)}}"}""";

        Assert.Contains("a bulk request is at most", Assert.Throws<ArgumentException>(() => BulkRequestParser.Parse(body, Sources, _ => { })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoding_the_model_cannot_do_is_refused_with_the_models_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => BulkRequestParser.Parse(
            """{"container":"images","decoding":{"beginWith":"a qwxzv"}}""", Sources, _ => throw new ArgumentException("'qwxzv' is not a word this model knows")));

        Assert.Contains("qwxzv", error.Message, StringComparison.Ordinal);
    }
}
