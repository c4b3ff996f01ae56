namespace Captioner.EndToEnd.Tests.Http;

/// <summary>In Azure training runs in an app of its own: the page learns its address from the host's settings, and may talk to its origin.</summary>
public sealed class PageTrainingAddressTests
{
    [Fact]
    public async Task The_page_names_the_training_apps_address_when_training_runs_elsewhere_and_none_when_this_host_serves_it()
    {
        Assert.Contains("<meta name=\"captioner-training-api\" content=\"https://ca-train.example/\">", (await RenderedPage.RenderAsync("https://ca-train.example/")).Html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"captioner-training-api\" content=\"\">", (await RenderedPage.RenderAsync(string.Empty)).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pages_policy_lets_it_connect_to_its_own_origin_and_the_training_apps_origin_only()
    {
        var elsewhere = (await RenderedPage.RenderAsync("https://ca-train.example:8443/some/path?x=1")).Headers["Content-Security-Policy"];
        var here = (await RenderedPage.RenderAsync(string.Empty)).Headers["Content-Security-Policy"];

        Assert.Contains("connect-src 'self' https://ca-train.example:8443;", elsewhere, StringComparison.Ordinal);
        Assert.DoesNotContain("/some/path", elsewhere, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self';", here, StringComparison.Ordinal);
    }
}
