using Captioner.Functions;
using Microsoft.AspNetCore.Http;

namespace Captioner.EndToEnd.Tests.Http;

/// <summary>Behind the platform's TLS termination a request says http and an internal host; the configured public address replaces both.</summary>
public class PublicAddressTests
{
    [Fact]
    public void A_request_behind_TLS_termination_takes_the_apps_public_https_address()
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("10.1.2.3", 8080);
        context.Request.Path = "/api/bulk";

        PublicAddress.Apply(context.Request, Valid("https://ca-caption-x.westus3.azurecontainerapps.io").Address!);

        Assert.Equal("https://ca-caption-x.westus3.azurecontainerapps.io/api/bulk", $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}");
    }

    [Theory]
    [InlineData("http://ca-caption-x.example.io")]
    [InlineData("ca-caption-x.example.io")]
    [InlineData("https://ca-caption-x.example.io/?code=1")]
    public void A_public_address_that_is_not_plain_https_stops_the_host(string value) =>
        Assert.Contains("Captioner:PublicUrl must be empty or an absolute https address", new PublicAddressOptionsValidator().Validate(null, new PublicAddressOptions { PublicUrl = value }).FailureMessage, StringComparison.Ordinal);

    [Fact]
    public void No_public_address_leaves_the_request_as_it_came() =>
        Assert.Null(Valid(string.Empty).Address);

    private static PublicAddressOptions Valid(string value)
    {
        var options = new PublicAddressOptions { PublicUrl = value };
        Assert.True(new PublicAddressOptionsValidator().Validate(null, options).Succeeded);
        return options;
    }
}
