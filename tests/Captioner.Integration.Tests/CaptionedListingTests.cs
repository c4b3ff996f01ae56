using Captioner.Core.Messages;
using Captioner.Core.Pipeline;

namespace Captioner.Integration.Tests;

/// <summary>Skipping captioned images from the results' listing, against Azurite.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class CaptionedListingTests : IDisposable
{
    private readonly PipelineHarness _pipeline;

    public CaptionedListingTests(AzuriteFixture azurite)
    {
        _pipeline = new PipelineHarness(azurite);
    }

    [Fact]
    public async Task Images_with_a_result_for_their_listed_content_are_found_from_the_listing_across_pages()
    {
        var container = _pipeline.Names.ImagesContainer;
        var listed = new List<ImageReference>();
        foreach (var i in Enumerable.Range(0, 12))
        {
            listed.Add(new ImageReference(container, $"p/{i:D2}.jpg", $"\"0x{i:X}\""));
            await WriteResultAsync(container, $"p/{i:D2}.jpg", i == 5 ? "\"0xold\"" : $"\"0x{i:X}\"");
        }

        // A result written before results carried their image's ETag is not vouched for; a result of another container is not this one's.
        await _pipeline.Results.Container.GetBlobClient(_pipeline.Results.Names.For(container, "p/07.jpg")).UploadAsync(new BinaryData("{}"), overwrite: true);
        await WriteResultAsync("other", "p/08.jpg", "\"0x8\"");
        await _pipeline.Results.Container.GetBlobClient(_pipeline.Results.Names.For(container, "p/08.jpg")).DeleteAsync();

        var listing = new CaptionedListing(_pipeline.Results);
        var (first, cursor) = await listing.FindAsync(container, "p/", listed[..6], ResultsCursor.Start, CancellationToken.None);
        var (second, end) = await listing.FindAsync(container, "p/", listed[6..], cursor, CancellationToken.None);

        Assert.Equal(["p/00.jpg", "p/01.jpg", "p/02.jpg", "p/03.jpg", "p/04.jpg"], first.Order(StringComparer.Ordinal));
        Assert.Equal(["p/06.jpg", "p/09.jpg", "p/10.jpg", "p/11.jpg"], second.Order(StringComparer.Ordinal));
        Assert.True(end.Exhausted);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Pages_of_results_that_end_on_a_pages_last_image_or_elsewhere_give_the_same_answer(int resultsPerPage)
    {
        var container = _pipeline.Names.ImagesContainer;
        var listed = new List<ImageReference>();
        foreach (var i in Enumerable.Range(0, 12))
        {
            listed.Add(new ImageReference(container, $"q{resultsPerPage}/{i:D2}.jpg", $"\"0x{i:X}\""));
            await WriteResultAsync(container, $"q{resultsPerPage}/{i:D2}.jpg", i == 7 ? "\"0xold\"" : $"\"0x{i:X}\"");
        }

        // With 6 results a listing page, each page of 6 images ends exactly where a listing page does.
        var listing = new CaptionedListing(_pipeline.Results, resultsPerPage);
        var (first, cursor) = await listing.FindAsync(container, $"q{resultsPerPage}/", listed[..6], ResultsCursor.Start, CancellationToken.None);
        var (second, end) = await listing.FindAsync(container, $"q{resultsPerPage}/", listed[6..], cursor, CancellationToken.None);

        Assert.Equal(listed[..6].Select(i => i.Name), first.Order(StringComparer.Ordinal));
        Assert.Equal(listed[6..].Where(i => !i.Name.EndsWith("07.jpg", StringComparison.Ordinal)).Select(i => i.Name), second.Order(StringComparer.Ordinal));
        Assert.True(end.Exhausted);
    }

    [Fact]
    public async Task A_name_whose_result_sorts_out_of_step_is_left_to_the_pipeline_never_reported_wrongly()
    {
        // "x" < "x-y" as names, but "x-y.json" < "x.json" as result names.
        var container = _pipeline.Names.ImagesContainer;
        var listed = new List<ImageReference> { new(container, "x", "\"1\""), new(container, "x-y", "\"2\""), new(container, "z", "\"3\"") };
        foreach (var image in listed)
        {
            await WriteResultAsync(container, image.Name, image.ETag!);
        }

        var listing = new CaptionedListing(_pipeline.Results);
        var (first, cursor) = await listing.FindAsync(container, string.Empty, listed[..1], ResultsCursor.Start, CancellationToken.None);
        var (rest, _) = await listing.FindAsync(container, string.Empty, listed[1..], cursor, CancellationToken.None);

        Assert.Empty(first.Intersect(rest));
        Assert.Subset(listed.Select(i => i.Name).ToHashSet(), first.Union(rest).ToHashSet());
        Assert.Contains("z", rest);
    }

    [Fact]
    public async Task A_retried_page_keeps_its_first_choice_of_skipped_images()
    {
        await _pipeline.Bulk.StartAsync("job-decide", "images", string.Empty);

        var first = await _pipeline.Bulk.DecidePageAsync("job-decide", 0, ["a.jpg", "b.jpg"]);
        var retried = await _pipeline.Bulk.DecidePageAsync("job-decide", 0, ["a.jpg", "b.jpg", "c.jpg"]);
        var other = await _pipeline.Bulk.DecidePageAsync("job-decide", 1, ["c.jpg"]);

        Assert.Equal((true, true, false), (retried.Contains("a.jpg"), retried.Contains("b.jpg"), retried.Contains("c.jpg")));
        Assert.True(first.Contains("b.jpg"));
        Assert.True(other.Contains("c.jpg"));
    }

    [Fact]
    public async Task A_job_over_captioned_images_counts_them_skipped_without_a_row_or_a_message_each()
    {
        _pipeline.Options.BulkPageSize = 4;
        var photos = Directory.GetFiles(PipelineHarness.Uploads, "*.jpg").Order(StringComparer.Ordinal).Take(10).ToList();
        foreach (var photo in photos)
        {
            await _pipeline.UploadAsync("done/" + Path.GetFileName(photo), File.ReadAllBytes(photo));
        }

        await _pipeline.Lister.StartAsync(new BulkRequestMessage { Id = "job-first", Container = _pipeline.Names.ImagesContainer, Prefix = "done/" });
        await _pipeline.PumpAsync();
        await _pipeline.Lister.StartAsync(new BulkRequestMessage { Id = "job-skip", Container = _pipeline.Names.ImagesContainer, Prefix = "done/" });

        // Three pages of four, three and three images: three listing messages and no caption request.
        var handled = await _pipeline.PumpAsync();

        var status = await _pipeline.Bulk.GetAsync("job-skip");
        Assert.Equal((10L, 0L, 10L, 0L, true), (status!.Total, status.Done, status.Skipped, status.Failed, status.Completed));
        Assert.Equal(3, handled);
        var rows = new List<string>();
        await foreach (var row in _pipeline.Storage.Tables.GetTableClient(_pipeline.Names.BulkJobsTable).QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "job-skip"))
        {
            rows.Add(row.RowKey);
        }

        Assert.Equal(["page-000000000", "page-000000001", "page-000000002", "summary"], rows.Order(StringComparer.Ordinal));
    }

    public void Dispose() => _pipeline.Dispose();

    private Task<bool> WriteResultAsync(string container, string image, string etag) =>
        _pipeline.Results.WriteAsync(new CaptionResult { Image = image, Container = container, ETag = etag, Status = CaptionResult.Succeeded, Caption = "a dog" }, replace: true);
}
