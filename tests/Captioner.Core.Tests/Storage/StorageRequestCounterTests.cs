using Captioner.Core.Storage;

namespace Captioner.Core.Tests.Storage;

public sealed class StorageRequestCounterTests
{
    [Theory]
    [InlineData("blob", "GET", "", "/devstoreaccount1/images/a.jpg", "blob.get")]
    [InlineData("blob", "HEAD", "", "/devstoreaccount1/images/a.jpg", "blob.head")]
    [InlineData("blob", "GET", "?restype=container&comp=list&prefix=x", "/devstoreaccount1/images", "blob.get.list")]
    [InlineData("blob", "PUT", "?comp=metadata", "/devstoreaccount1/images/a.jpg", "blob.put.metadata")]
    [InlineData("blob", "PUT", "?restype=container", "/devstoreaccount1/images", "blob.put.container")]
    [InlineData("queue", "POST", "", "/devstoreaccount1/features/messages", "queue.post")]
    [InlineData("table", "POST", "", "/devstoreaccount1/$batch", "table.post.$batch")]
    public void Requests_are_named_by_service_method_and_kind(string service, string method, string query, string path, string expected) =>
        Assert.Equal(expected, StorageRequestCounter.Operation(service, method, query, path));
}
