using System.Text;
using Captioner.Core.Pipeline;
using Captioner.Hosting.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Captioner.EndToEnd.Tests.Http;

/// <summary>In Azure training runs in an app of its own: the page learns its address from the host's settings.</summary>
public sealed class PageTrainingAddressTests
{
    [Fact]
    public async Task The_page_names_the_training_apps_address_when_training_runs_elsewhere_and_none_when_this_host_serves_it()
    {
        Assert.Contains("<meta name=\"captioner-training-api\" content=\"https://ca-train.example/\">", await PageAsync("https://ca-train.example/"), StringComparison.Ordinal);
        Assert.Contains("<meta name=\"captioner-training-api\" content=\"\">", await PageAsync(string.Empty), StringComparison.Ordinal);
    }

    private static async Task<string> PageAsync(string trainingApi)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<PipelineOptions>().Configure(options => options.TrainingApiUrl = trainingApi);
        var context = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        var body = new MemoryStream();
        context.Response.Body = body;

        await PageHandlers.Index(context.Request).ExecuteAsync(context);

        return Encoding.UTF8.GetString(body.ToArray());
    }
}
