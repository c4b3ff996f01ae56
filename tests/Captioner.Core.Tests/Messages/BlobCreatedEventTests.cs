using System.Text;
using Captioner.Core.Messages;

namespace Captioner.Core.Tests.Messages;

public class BlobCreatedEventTests
{
    private const string Created = """
        {"topic":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a","subject":"/blobServices/default/containers/images/blobs/2024/day one/cat.jpg",
         "eventType":"Microsoft.Storage.BlobCreated","id":"1","data":{"api":"PutBlob","url":"https://a.blob.core.windows.net/images/2024/day%20one/cat.jpg"},"dataVersion":"","metadataVersion":"1","eventTime":"2026-11-28T10:00:00Z"}
        """;

    [Fact]
    public void A_blob_created_event_names_the_container_and_the_blob_with_its_folders()
    {
        var parsed = BlobCreatedEvent.Parse(Created);

        Assert.Equal(new ImageReference("images", "2024/day one/cat.jpg"), parsed.Image);
    }

    [Fact]
    public void The_local_hosts_event_reads_back_as_the_blob_it_names()
    {
        var text = BlobCreatedEvent.Create("devstoreaccount1", "images", "2024/day one/été.jpg", "\"0x8D\"", 1234, DateTimeOffset.UnixEpoch);

        var parsed = BlobCreatedEvent.Parse(text);

        Assert.Equal((BlobCreatedEvent.BlobCreated, new ImageReference("images", "2024/day one/été.jpg")), (parsed.EventType, parsed.Image));
    }

    [Fact]
    public void An_array_of_one_event_and_an_extra_base64_layer_are_read_too()
    {
        Assert.NotNull(BlobCreatedEvent.Parse("[" + Created + "]").Image);
        Assert.NotNull(BlobCreatedEvent.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(Created))).Image);
    }

    [Fact]
    public void Other_event_types_carry_no_image()
    {
        var parsed = BlobCreatedEvent.Parse(Created.Replace("BlobCreated", "BlobDeleted", StringComparison.Ordinal));

        Assert.Equal("Microsoft.Storage.BlobDeleted", parsed.EventType);
        Assert.Null(parsed.Image);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"eventType\":\"Microsoft.Storage.BlobCreated\",\"subject\":\"/something/else\"}")]
    [InlineData("{\"subject\":\"/blobServices/default/containers/images/blobs/a.jpg\"}")]
    public void Text_that_is_not_a_blob_event_is_a_message_format_error(string text)
    {
        Assert.Throws<MessageFormatException>(() => BlobCreatedEvent.Parse(text));
    }
}
