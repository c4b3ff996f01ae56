using Captioner.Core.Storage;

namespace Captioner.Core.Tests.Storage;

public sealed class StorageEndpointsTests
{
    [Fact]
    public void An_account_name_gives_the_public_cloud_endpoints()
    {
        var endpoints = StorageEndpoints.Resolve("stcaptioner");

        Assert.Equal(new Uri("https://stcaptioner.blob.core.windows.net"), endpoints.Blob);
        Assert.Equal(new Uri("https://stcaptioner.queue.core.windows.net"), endpoints.Queue);
        Assert.Equal(new Uri("https://stcaptioner.table.core.windows.net"), endpoints.Table);
    }

    [Fact]
    public void An_explicit_endpoint_replaces_only_its_own_service()
    {
        var endpoints = StorageEndpoints.Resolve("devstoreaccount1", blob: "https://127.0.0.1:10000/devstoreaccount1", table: string.Empty);

        Assert.Equal(new Uri("https://127.0.0.1:10000/devstoreaccount1"), endpoints.Blob);
        Assert.Equal(new Uri("https://devstoreaccount1.queue.core.windows.net"), endpoints.Queue);
        Assert.Equal(new Uri("https://devstoreaccount1.table.core.windows.net"), endpoints.Table);
    }

    [Fact]
    public void Explicit_endpoints_need_no_account_name()
    {
        var endpoints = StorageEndpoints.Resolve(null, "https://b.example", "https://q.example", "https://t.example");

        Assert.Equal(new Uri("https://t.example"), endpoints.Table);
    }

    [Theory]
    [InlineData("", "account")]
    [InlineData("st", "account")]
    [InlineData("stcaptioner0123456789abcd", "account")]
    [InlineData("StCaptioner", "account")]
    [InlineData("st-captioner", "account")]
    public void An_invalid_account_name_is_refused_naming_the_account(string account, string part) =>
        Assert.Equal(part, Assert.Throws<InvalidStorageEndpointException>(() => StorageEndpoints.Resolve(account)).Part);

    [Theory]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("127.0.0.1:10000")]
    [InlineData("/devstoreaccount1")]
    public void An_endpoint_that_is_not_an_absolute_https_url_is_refused_naming_its_service(string queue)
    {
        var refused = Assert.Throws<InvalidStorageEndpointException>(() => StorageEndpoints.Resolve("stcaptioner", queue: queue));

        Assert.Equal("queue", refused.Part);
        Assert.Contains("https", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_account_a_missing_endpoint_is_refused_naming_its_service() =>
        Assert.Equal("table", Assert.Throws<InvalidStorageEndpointException>(() => StorageEndpoints.Resolve(null, "https://b.example", "https://q.example")).Part);
}
